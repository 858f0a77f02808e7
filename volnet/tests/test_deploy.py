"""Production configuration: what `manage.py check --deploy` and the replica router promise."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items()
                if k not in ("DEBUG", "VOLNET_TEST_CAPTCHA", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    full_env["DJANGO_SETTINGS_MODULE"] = "volnet.settings"  # production's, not the suite's settings_test
    full_env.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True)


SIGNING = ROOT / "var" / "signing" / "deploy-test"  # a certificate of "our own", made once below
PRODUCTION = {"SECRET_KEY": "x" * 20 + "production-secret-key-with-enough-entropy-1234567890",
              "ALLOWED_HOSTS": "vol.example.tw", "REDIS_URL": "redis://redis.internal:6379/0",
              "DOCUMENT_SIGNING_CERT": str(SIGNING / "cert.pem"), "DOCUMENT_SIGNING_KEY": str(SIGNING / "key.pem")}


@pytest.fixture(autouse=True, scope="module")
def _own_certificate():
    from volnet.documents import signing

    signing.ensure_demo_certificate(SIGNING)


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_refuses_production_without_redis_because_lockouts_would_be_per_process():
    result = _manage("check", "--deploy", **{**PRODUCTION, "REDIS_URL": ""})
    assert result.returncode != 0
    assert "volnet.E001" in result.stderr and "REDIS_URL" in result.stderr
    assert "登入鎖定" in result.stderr  # the operator reads why: each process counts failures on its own


def test_without_redis_a_development_server_and_the_everyday_check_are_not_refused():
    assert "volnet.E001" not in _manage("check", "--deploy", DEBUG="1", REDIS_URL="").stderr
    everyday = _manage("check", **{**PRODUCTION, "REDIS_URL": ""})
    assert everyday.returncode == 0 and "volnet.E001" not in everyday.stderr


def test_check_deploy_warns_when_a_proxy_is_announced_but_no_proxy_is_trusted_for_addresses():
    result = _manage("check", "--deploy", **PRODUCTION, BEHIND_PROXY="1")
    assert "volnet.W002" in result.stderr and "TRUSTED_PROXY_COUNT" in result.stderr
    trusted = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, BEHIND_PROXY="1",
                      TRUSTED_PROXY_COUNT="1")
    assert trusted.returncode == 0, trusted.stdout + trusted.stderr


def test_the_test_captcha_switch_is_refused_outside_debug():
    result = _manage("check", VOLNET_TEST_CAPTCHA="1")
    assert result.returncode != 0
    assert "VOLNET_TEST_CAPTCHA" in result.stderr


def test_the_bench_switch_is_refused_on_public_hosts():
    result = _manage("check", VOLNET_BENCH="1", ALLOWED_HOSTS="vol.example.tw")
    assert result.returncode != 0
    assert "VOLNET_BENCH" in result.stderr


def test_production_responses_carry_the_security_headers(client, db, settings):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_reads_follow_the_replica_only_when_asked_and_until_the_request_writes(settings, monkeypatch):
    """The routing alone; volnet/tests/test_replica.py runs it against a real replica, stopped and started."""
    from volnet import dbrouter
    from volnet.accounts.models import User

    router = dbrouter.ReplicaRouter()
    settings.DATABASES = {**settings.DATABASES, "replica": settings.DATABASES["default"]}
    monkeypatch.setattr(dbrouter, "_replica_answers", lambda: True)
    assert router.db_for_read(User) == "default"
    with dbrouter.replica_reads():
        assert router.db_for_read(User) == "replica"
        assert router.db_for_write(User) == "default"
        assert router.db_for_read(User) == "default"  # what the request wrote, it reads back from the primary
    with dbrouter.replica_reads():
        assert router.db_for_read(User) == "replica"  # the next request reads from the replica again
    assert router.db_for_read(User) == "default"


# Runs in its own interpreter (an audit hook cannot be removed): after every event Python reports while
# the settings load, note the key file's permissions. Writing then chmod-ing shows 0644 at the chmod.
_KEY_FILE_MODES = """
import os, stat, sys
key = os.path.join(os.environ["VOLNET_VAR_DIR"], "secret_key")
modes = set()
def note(event, args):
    if os.path.exists(key):
        modes.add(oct(stat.S_IMODE(os.stat(key).st_mode)))
sys.addaudithook(note)
os.umask(0o022)
import volnet.settings
print(" ".join(sorted(modes)))
"""


def _without_secret_key(var_dir):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env["VOLNET_VAR_DIR"] = str(var_dir)
    return env


def test_the_generated_secret_key_file_is_never_readable_by_others(tmp_path):
    result = subprocess.run([sys.executable, "-c", _KEY_FILE_MODES], cwd=ROOT, env=_without_secret_key(tmp_path),
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0o600"]
    key_file = tmp_path / "secret_key"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert len(key_file.read_text().strip()) >= 50


def test_processes_starting_together_agree_on_one_generated_secret_key(tmp_path):
    script = "import volnet.settings as s; print(s.SECRET_KEY)"
    starts = [subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env=_without_secret_key(tmp_path),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(6)]
    keys = {process.communicate(timeout=60)[0].strip() for process in starts}
    assert keys == {(tmp_path / "secret_key").read_text().strip()}
    assert len(keys.pop()) >= 50


def test_check_deploy_refuses_production_signing_with_the_demo_certificate():
    demo = _manage("check", "--deploy", **{**PRODUCTION, "DOCUMENT_SIGNING_CERT": "", "DOCUMENT_SIGNING_KEY": ""})
    assert demo.returncode != 0 and "volnet.E002" in demo.stderr and "DOCUMENT_SIGNING_CERT" in demo.stderr
    missing = _manage("check", "--deploy", **{**PRODUCTION, "DOCUMENT_SIGNING_KEY": "/nowhere/key.pem"})
    assert missing.returncode != 0 and "volnet.E003" in missing.stderr and "/nowhere/key.pem" in missing.stderr

"""The venue check of the 電子榮譽卡: checks per second, every request with its own fresh valid token,
against the bare authenticated view (/bench/bare) in the same server and run. Goal: ≥ 0.5×.

Honest by construction: the tokens are created beforehand (stored hashed, as the card page does) and a
wrk Lua script walks the list, each wrk thread its own share, so no token is checked twice. Every check
therefore does the full work: the lookup, the conditional UPDATE that consumes the token, the log row
and the 有效 page. Running out of tokens requests a path that answers 404, which makes wrk (and so this
benchmark) fail rather than count cheap requests. Afterwards the log must hold only 有效 verdicts.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.util import ROOT, Row, bench_database, gunicorn, manage, session_cookie, wrk

VOLUNTEER = "E122333441"
PASSWORD = "Volunteer-2026"
THREADS = 2
CONNECTIONS = 50

MAKE_TOKENS = """
import datetime as dt
import secrets
from django.utils import timezone
from volnet.honorcard import services
from volnet.honorcard.models import CardCheck, CardToken, HonorCard
card = HonorCard.objects.current_for(HonorCard.objects.get(number="TC-HC-114-00088").volunteer)
assert card is not None, "the demo card is not valid today"
CardCheck.objects.all().delete()
CardToken.objects.all().delete()
now = timezone.now()
raws = [secrets.token_urlsafe(18) for _ in range({count})]
CardToken.objects.bulk_create(
    (CardToken(card=card, token_hash=services.hash_token(raw), created_at=now, expires_at=now + dt.timedelta(minutes=5))
     for raw in raws), batch_size=5000,
)
with open({path!r}, "w") as out:
    out.write("\\n".join("/honor-card/c/" + raw for raw in raws))
"""

COUNT_VERDICTS = """
import json
from django.db.models import Count
from volnet.honorcard.models import CardCheck
print(json.dumps(dict(CardCheck.objects.values_list("verdict").annotate(n=Count("id")))))
"""

WALK = """
-- Each wrk thread walks its own share of the token URLs (every THREADS-th line from its index).
local index = 0
function setup(thread)
  thread:set("id", index)
  index = index + 1
end
local paths = {{}}
local next_path = 1
function init(args)
  local n = 0
  for line in io.lines("{path}") do
    if n % {threads} == id then paths[#paths + 1] = line end
    n = n + 1
  end
end
function request()
  local path = paths[next_path] or "/honor-card/out-of-tokens/"
  next_path = next_path + 1
  return wrk.format("GET", path)
end
"""


def _verdicts(url):
    """{verdict: count} from the check log of the benchmark database."""
    output = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", COUNT_VERDICTS],
        env={**os.environ, "DATABASE_URL": url}, cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def run(options):
    seconds = 3 if options.quick else 10
    tokens = 15_000 if options.quick else 40_000
    url = bench_database("honorcard")
    manage("seed_demo", "--quiet", database_url=url)
    rows = []
    with tempfile.TemporaryDirectory() as folder, gunicorn(url, workers=2) as base:
        paths = Path(folder) / "tokens.txt"
        script = Path(folder) / "walk.lua"
        script.write_text(WALK.format(path=paths, threads=THREADS))

        cookie = session_cookie(base, VOLUNTEER, PASSWORD)
        wrk(base + "/bench/bare", cookie, connections=CONNECTIONS, seconds=1)  # warm-up
        bare_rps, bare_latency = wrk(base + "/bench/bare", cookie, connections=CONNECTIONS, seconds=seconds)
        rows.append(Row("honorcard", "bare authenticated view", bare_rps, "req/s", goal="baseline"))

        manage("shell", "-c", MAKE_TOKENS.format(count=tokens, path=str(paths)), database_url=url)
        rps, latency = wrk(base + "/", connections=CONNECTIONS, seconds=seconds, threads=THREADS, script=script)
        verdicts = _verdicts(url)
        if set(verdicts) != {"valid"}:
            raise RuntimeError(f"every check should have been 有效, the log says {verdicts}")
        rows.append(Row("honorcard", f"venue check, fresh token each ({verdicts['valid']:,} 有效)", rps, "req/s",
                        baseline=bare_rps, goal="≥ 0.5×"))
        rows.append(Row("honorcard", "venue check p99 latency", latency.get(99, 0), "ms",
                        baseline=bare_latency.get(99), goal=""))
    return rows

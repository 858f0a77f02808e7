"""The test suite's settings (pytest's DJANGO_SETTINGS_MODULE, pyproject.toml): the project's own, with what a
test run needs changed here rather than by settings.py guessing whether it runs under a test."""

from volnet.settings import *  # noqa: F403
from volnet.settings import STORAGES

# Argon2 at full strength costs ~50 ms a hash; tests create hundreds of users.
PASSWORD_HASHERS = ["volnet.accounts.hashers.FastArgon2PasswordHasher"]

# The test client and the live server speak plain HTTP: no secure-only cookies, no redirect to HTTPS, no HSTS.
SECURE = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = False

# Static files straight from the apps' folders, as under DEBUG: no collectstatic, no manifest.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True

# Tasks run in the test's own process, when the transaction that queued them commits (conftest.py runs on_commit
# callbacks as production would); the `celery_worker` fixture sends a test's tasks to a real worker instead.
CELERY_TASK_ALWAYS_EAGER = True

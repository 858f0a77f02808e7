"""`manage.py check --deploy`: what a production configuration of the sign-in defences needs."""

from django.conf import settings
from django.core import checks
from django.utils.translation import gettext as _

PER_PROCESS_CACHES = ("django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache")


@checks.register(checks.Tags.security, deploy=True)
def shared_counters(app_configs, **kwargs):
    """Lockout and throttle counters live in the cache: without Redis each process keeps its own, so a
    guesser spreading attempts over the workers gets several times the allowance."""
    if settings.DEBUG or settings.CACHES["default"]["BACKEND"] not in PER_PROCESS_CACHES:
        return []
    return [checks.Error(
        _("未設定 REDIS_URL：登入鎖定與嘗試次數的計數只存在各個行程的記憶體裡，每個行程各算各的，"
          "重新啟動即歸零，猜密碼的人可藉此多試好幾倍的次數。"),
        hint=_("請設定 REDIS_URL（例如 redis://redis:6379/0），讓所有行程共用這些計數。"),
        id="volnet.E001",
    )]


@checks.register(checks.Tags.security, deploy=True)
def trusted_proxies(app_configs, **kwargs):
    """BEHIND_PROXY says a proxy stands in front; with TRUSTED_PROXY_COUNT at 0 every visitor would have the
    proxy's address, so one guesser would spend the sign-in allowance of everyone."""
    if not settings.SECURE_PROXY_SSL_HEADER or settings.TRUSTED_PROXY_COUNT > 0:
        return []
    return [checks.Warning(
        _("已設定 BEHIND_PROXY，但 TRUSTED_PROXY_COUNT 為 0：所有訪客的來源位址都會是代理伺服器的位址，"
          "一個人猜密碼就會讓所有人被限制登入。"),
        hint=_("請將 TRUSTED_PROXY_COUNT 設為應用程式前方代理伺服器的層數（只有 nginx 時為 1）。"),
        id="volnet.W002",
    )]

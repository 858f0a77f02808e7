"""bench_portal's second server: the project's settings with the 服務時數 page cache switched off,
to show what every request costs when nothing is cached."""

from volnet.settings import *  # noqa: F403

PORTAL_HOURS_CACHE_SECONDS = 0

"""The insurance reminder (beat) at national size: N volunteers whose one policy ends within 30 days, each told
once (a 通知 and an outbox row). Time and peak memory (tracemalloc, Python allocations) of the scan; the goal is
memory that does not grow with N (the rows are read in chunks as tuples). Handing the outbox rows to a worker
is the broker's part and is left out (`_enqueue` does nothing here): what is measured is the scan and the
queuing. `make bench reminders` runs 1,000,000; `--quick` 2,000.
"""

import datetime as dt
import time
import tracemalloc

from bench.util import Row, bench_database, django_setup

BATCH = 10_000


def dataset(size):
    from django.contrib.auth import get_user_model

    from volnet.records.models import InsuranceCoverage, InsurancePolicy
    from volnet.units.models import Authority, Unit

    User = get_user_model()
    authority = Authority.objects.create(code="BEN", name="基準市政府")
    unit = Unit.objects.create(code="B-1", name="基準志工隊", authority=authority)
    today = dt.date(2026, 6, 1)
    policy = InsurancePolicy.objects.create(unit=unit, insurer="某產險", policy_number="BENCH",
                                            start_date=dt.date(2025, 6, 21), end_date=dt.date(2026, 6, 20))
    for start in range(0, size, BATCH):
        people = User.objects.bulk_create(
            User(national_id=f"Z{n:09d}", name=f"志工{n}", email=f"v{n}@example.tw")
            for n in range(start, min(start + BATCH, size)))
        InsuranceCoverage.objects.bulk_create(InsuranceCoverage(policy=policy, volunteer=person) for person in people)
    return today


def measure(size):
    url = bench_database("reminders")
    django_setup(url)
    from volnet.mailer import outbox
    from volnet.mailer.models import Mail
    from volnet.notifications.models import Notification
    from volnet.records import reminders

    outbox._enqueue = lambda pk: None  # the broker's part, not measured
    today = dataset(size)
    tracemalloc.start()
    started = time.perf_counter()
    told = reminders.remind_insurance_ending(today)
    seconds = time.perf_counter() - started
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert told == size == Notification.objects.count() == Mail.objects.count(), (told, size)
    assert reminders.remind_insurance_ending(today) == 0  # again: nobody told twice
    return seconds, peak / 2**20


def run(options):
    size = 2_000 if options.quick else 1_000_000
    seconds, peak = measure(size)
    return [
        Row("reminders", f"insurance reminders for {size:,} volunteers: time", seconds, "s"),
        Row("reminders", f"insurance reminders for {size:,} volunteers: per volunteer", seconds / size * 1000, "ms"),
        Row("reminders", f"insurance reminders for {size:,} volunteers: peak Python memory", peak, "MB",
            goal="flat in N"),
    ]

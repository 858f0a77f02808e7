"""The insurance reminder (beat) at national size: N volunteers whose policy ends within 30 days, each told once
(a 通知 and an outbox row), and the unit's staff once per policy. Time (wall clock and CPU) and the process's
peak memory (resident set, ru_maxrss) of the job, at 10,000 volunteers and at N, in one PostgreSQL database
made for the run and dropped after it (`BENCH_PG_URL`, as the growth bench). The goal is memory that does not
grow with N: the due rows are read a batch at a time and each batch is written with one INSERT of notifications
and one of mails (records.reminders, notifications.services.notify_many). The data are made in a forked child,
so the parent's peak is the job's. Handing the outbox rows to a worker is the broker's part and is left out
(`_enqueue_many` does nothing here). `make bench BENCH_ARGS=reminders` runs 1,000,000; `--quick` 20,000.
"""

import datetime as dt
import multiprocessing
import os
import resource
import time

from bench.util import PG, Row, django_setup, manage, psql

NAME = "volnet_bench_reminders"
BATCH = 10_000
SMALL = 10_000
# Each size has its own policy ending on its own day, measured from 19 days before: the other is out of range.
ENDS = {"small": dt.date(2026, 6, 20), "large": dt.date(2026, 9, 20)}


def dataset(label, first, size):
    """`size` volunteers (numbered from `first`) covered by one policy of a unit with two staff members."""
    from django.contrib.auth import get_user_model

    from volnet.records.models import InsuranceCoverage, InsurancePolicy
    from volnet.units.models import Authority, StaffRole, Unit

    User = get_user_model()
    authority, _ = Authority.objects.get_or_create(code="BEN", defaults={"name": "基準市政府"})
    unit = Unit.objects.create(code=f"B-{label}", name=f"基準志工隊{label}", authority=authority)
    for n in range(2):
        staff = User.objects.create(national_id=f"Y{label[0]}{first + n:08d}", name=f"督導{n}", email=f"s{n}@ex.tw")
        StaffRole.objects.create(user=staff, unit=unit, role=StaffRole.Role.SUPERVISOR)
    end = ENDS[label]
    policy = InsurancePolicy.objects.create(unit=unit, insurer="某產險", policy_number=f"BENCH-{label}",
                                            start_date=end - dt.timedelta(days=364), end_date=end)
    for start in range(first, first + size, BATCH):
        people = User.objects.bulk_create(
            User(national_id=f"Z{n:09d}", name=f"志工{n}", email=f"v{n}@example.tw")
            for n in range(start, min(start + BATCH, first + size)))
        InsuranceCoverage.objects.bulk_create(InsuranceCoverage(policy=policy, volunteer=person) for person in people)


def _in_child(*args):
    """Make the data in a forked child: its memory is not the parent's peak."""
    from django.db import connections

    connections.close_all()
    child = multiprocessing.get_context("fork").Process(target=dataset, args=args)
    child.start()
    child.join()
    assert child.exitcode == 0, "making the data set failed"


def _rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure(label, first, size):
    from volnet.mailer.models import Mail
    from volnet.notifications.models import Notification
    from volnet.records import reminders

    _in_child(label, first, size)
    today = ENDS[label] - dt.timedelta(days=19)
    notes, mails = Notification.objects.count(), Mail.objects.count()
    start_rss = _rss_mb()
    started, cpu = time.perf_counter(), time.process_time()
    told = reminders.remind_insurance_ending(today)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert told == size + 2 == Notification.objects.count() - notes == Mail.objects.count() - mails, (told, size)
    assert reminders.remind_insurance_ending(today) == 0  # again: nobody told twice
    return {"seconds": seconds, "cpu": cpu, "peak": peak, "start": start_rss}


def run(options):
    size = 20_000 if options.quick else 1_000_000
    psql(f'DROP DATABASE IF EXISTS "{NAME}"', check=True)
    psql(f'CREATE DATABASE "{NAME}"', check=True)
    try:
        url = f"{PG}/{NAME}"
        manage("migrate", "--noinput", "-v0", database_url=url)
        django_setup(url)
        from django.urls import reverse

        from volnet.mailer import outbox

        outbox._enqueue = outbox._enqueue_many = lambda pks: None  # the broker's part, not measured
        reverse("portal:services")  # the URL conf loaded before either run
        small = measure("small", 0, SMALL)
        large = measure("large", SMALL, size)
    finally:
        from django.db import connections

        connections.close_all()
        psql(f'DROP DATABASE IF EXISTS "{NAME}"', check=True)
    what = f"insurance reminders, {size:,} vs {SMALL:,} volunteers"
    return [
        Row("reminders", f"{what}: time", large["seconds"], "s"),
        Row("reminders", f"{what}: CPU time", large["cpu"], "s"),
        Row("reminders", f"{what}: time per volunteer", large["seconds"] / size * 1000, "ms",
            baseline=small["seconds"] / SMALL * 1000, goal="flat in N"),
        Row("reminders", f"{what}: peak memory of the process (RSS)", large["peak"], "MB",
            baseline=small["peak"], goal="flat in N"),
        Row("reminders", f"{what}: memory at the start of the job (RSS)", large["start"], "MB"),
    ]

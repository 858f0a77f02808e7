"""rebuild_statistics inside a transaction that has written rows, as seed_demo does after its bulk writes (on
PostgreSQL a TRUNCATE with foreign-key checks still pending used to fail: 'pending trigger events')."""

import io

from django.core.management import call_command
from django.db import transaction

from volnet.statistics.models import VolunteerCount


def test_a_rebuild_after_writes_in_the_same_transaction_counts_them(unit_a, volunteer):
    for _ in range(2):
        with transaction.atomic():
            call_command("rebuild_statistics", "--quiet-bar", stdout=io.StringIO())
            assert VolunteerCount.objects.filter(unit=unit_a).exists()
            transaction.set_rollback(True)

"""Data at national scale for benchmarks: `generate_data --volunteers 1000000 --units 25000
--records-per-volunteer 20`. COPY on PostgreSQL, multi-row inserts on SQLite, with progress bars.

Everyone gets the same password (hashed once), valid ID numbers, one membership, basic and special
training, a record book, and K service records spread over the last five years (or, with
`--most-records-per-volunteer M`, between K and M each, drawn at random).
"""

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from volnet.accounts.models import User
from volnet.lib import twid
from volnet.records.choices import SERVICE_ITEMS
from volnet.records.models import RecordBook, ServiceRecord, TrainingRecord
from volnet.units.choices import ServiceCategory
from volnet.units.models import Authority, Membership, Unit

PASSWORD = "Generated-2026"
CONTENTS = ["電話問安", "關懷訪視", "行政支援", "圖書推車服務", "藝文服務", "環境清潔", "活動支援", "資料整理"]
AUTHORITIES = [("GEN-TPE", "臺北市政府社會局"), ("GEN-NTP", "新北市政府社會局"), ("GEN-TXG", "臺中市政府社會局"),
               ("GEN-TNN", "臺南市政府社會局"), ("GEN-KHH", "高雄市政府社會局")]
# each city's units are spread over its districts (鄉鎮市區) and the unit categories
DISTRICTS = {
    "GEN-TPE": ["中正區", "大同區", "中山區", "松山區", "大安區", "萬華區", "信義區", "士林區", "北投區", "內湖區",
                "南港區", "文山區"],
    "GEN-NTP": ["板橋區", "三重區", "中和區", "永和區", "新莊區", "新店區", "土城區", "蘆洲區", "汐止區", "樹林區"],
    "GEN-TXG": ["中區", "東區", "南區", "西區", "北區", "西屯區", "南屯區", "北屯區", "豐原區", "大里區", "太平區"],
    "GEN-TNN": ["中西區", "東區", "南區", "北區", "安平區", "安南區", "永康區", "新營區"],
    "GEN-KHH": ["新興區", "前金區", "苓雅區", "鹽埕區", "鼓山區", "三民區", "左營區", "楠梓區", "鳳山區"],
}


def generated_id(serial, letter="K"):
    """A valid national ID from a serial number: a letter (K for generated volunteers), sex digit, 7 digits,
    check digit."""
    sex = "1" if serial % 2 == 0 else "2"
    body = f"{letter}{sex}{serial:07d}"
    for check in "0123456789":
        if twid.checksum_ok(body + check):
            return body + check
    raise AssertionError("no check digit")  # every prefix has exactly one


class Command(BaseCommand):
    help = "產生全國規模的測試資料（僅供效能測試）。"

    def add_arguments(self, parser):
        parser.add_argument("--volunteers", type=int, default=1000)
        parser.add_argument("--units", type=int, default=25)
        parser.add_argument("--records-per-volunteer", type=int, default=20)
        parser.add_argument("--most-records-per-volunteer", type=int, default=None,
                            help="each volunteer gets between --records-per-volunteer and this many")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, volunteers, units, records_per_volunteer, most_records_per_volunteer, seed, **options):
        most = records_per_volunteer if most_records_per_volunteer is None else most_records_per_volunteer
        if volunteers < 1 or units < 1 or records_per_volunteer < 0 or most < records_per_volunteer:
            raise CommandError("數量必須為正數。")
        if User.objects.filter(national_id__startswith="K").exists():
            raise CommandError("資料庫已有產生過的資料；請使用新的資料庫。")
        self.random = random.Random(seed)
        self.writer = CopyWriter() if connection.vendor == "postgresql" else InsertWriter()
        now = timezone.now()
        with transaction.atomic():
            self._skip_foreign_key_triggers()
            authority_ids = self._authorities()
            unit_ids = self._units(units, authority_ids, now)
            user_ids = self._volunteers(volunteers, now)
            staff_id = user_ids[0]
            self._memberships(user_ids, unit_ids)
            self._trainings(user_ids, unit_ids, staff_id, now)
            self._books(user_ids, authority_ids, unit_ids, now)
            records = self._services(user_ids, unit_ids, staff_id, records_per_volunteer, most, now)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        # the rows were written around the models: the statistics' summary tables are summed from them
        call_command("rebuild_statistics", stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(self.style.SUCCESS(
            f"已產生 {volunteers:,} 位志工、{units:,} 個單位、"
            f"{records:,} 筆服務紀錄；密碼 {PASSWORD}"
        ))

    def _skip_foreign_key_triggers(self):
        """The rows are consistent by construction; PostgreSQL's deferred foreign-key checks of tens of
        millions of rows made COMMIT take longer than the COPY itself (32 min for 20M). Superusers
        may switch them off for this transaction; others pay the checks."""
        if connection.vendor != "postgresql":
            return
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        except Exception:
            self.stderr.write("無法略過外鍵檢查（需要超級使用者）；資料寫入將較慢。")

    def _authorities(self):
        ids = []
        for code, name in AUTHORITIES:
            authority, _ = Authority.objects.get_or_create(code=code, defaults={"name": name})
            ids.append(authority.id)
        return ids

    def _units(self, count, authority_ids, now):
        categories = ServiceCategory.values

        def unit(i):
            city = i % len(authority_ids)
            districts = DISTRICTS[AUTHORITIES[city][0]]
            district = districts[(i // len(authority_ids)) % len(districts)]
            return {"code": f"G-{i:05d}", "name": f"測試志工隊第{i}隊", "authority_id": authority_ids[city],
                    "category": categories[(i // 7) % len(categories)], "district": district,
                    "address": f"{AUTHORITIES[city][1][:3]}{district}", "is_active": True, "created_at": now}

        rows = (unit(i) for i in range(count))
        self.writer.write(Unit, rows, count, "單位")
        return list(Unit.objects.filter(code__startswith="G-").order_by("id").values_list("id", flat=True))

    def _volunteers(self, count, now):
        encoded = make_password(PASSWORD)
        rnd = self.random
        rows = (
            {"national_id": generated_id(i), "name": f"志工{i}", "password": encoded, "is_active": True,
             "birth_date": dt.date(1950 + rnd.randrange(55), 1 + rnd.randrange(12), 1 + rnd.randrange(28)),
             "date_joined": now, "sex": "M" if i % 2 == 0 else "F", "email": f"v{i}@example.tw"}
            for i in range(count)
        )
        self.writer.write(User, rows, count, "志工")
        return list(User.objects.filter(national_id__startswith="K").order_by("id").values_list("id", flat=True))

    def _memberships(self, user_ids, unit_ids):
        joined = dt.date(2020, 1, 1)
        rows = ({"volunteer_id": uid, "unit_id": unit_ids[i % len(unit_ids)], "status": "active", "joined_on": joined}
                for i, uid in enumerate(user_ids))
        self.writer.write(Membership, rows, len(user_ids), "隊員")

    def _trainings(self, user_ids, unit_ids, staff_id, now):
        def rows():
            for i, uid in enumerate(user_ids):
                unit_id = unit_ids[i % len(unit_ids)]
                base = {"volunteer_id": uid, "unit_id": unit_id, "registrant_id": staff_id, "created_at": now,
                        "updated_at": now, "sessions": 1, "organiser": "志願服務推廣中心"}
                yield {**base, "kind": "basic", "category": "", "course": "基礎訓練", "start_date": dt.date(2020, 2, 1),
                       "end_date": dt.date(2020, 2, 1), "minutes": 360, "certificate_number": f"基{i}"}
                yield {**base, "kind": "special", "category": "social_welfare", "course": "特殊訓練",
                       "start_date": dt.date(2020, 3, 1), "end_date": dt.date(2020, 3, 1), "minutes": 360,
                       "certificate_number": f"特{i}"}

        self.writer.write(TrainingRecord, rows(), 2 * len(user_ids), "教育訓練")

    def _books(self, user_ids, authority_ids, unit_ids, now):
        rows = ({"volunteer_id": uid, "number": f"G{i:08d}", "authority_id": authority_ids[i % len(authority_ids)],
                 "issued_on": dt.date(2020, 4, 1), "status": "first", "category": "social_welfare",
                 "applied_by_id": unit_ids[i % len(unit_ids)], "created_at": now}
                for i, uid in enumerate(user_ids))
        self.writer.write(RecordBook, rows, len(user_ids), "紀錄冊")

    def _services(self, user_ids, unit_ids, staff_id, fewest, most, now):
        """Each volunteer's service records (fewest to most of them); returns how many were written."""
        rnd = self.random
        first_day = dt.date(2021, 1, 1).toordinal()
        span = (dt.date(2026, 10, 31).toordinal() - first_day)
        hours = [Decimal(h) / 2 for h in range(1, 17)]
        # drawn from a generator of their own: with fewest == most the records are those of earlier versions
        sizes = random.Random(most)
        counts = [fewest if fewest == most else sizes.randint(fewest, most) for _ in user_ids]

        def rows():
            for i, uid in enumerate(user_ids):
                unit_id = unit_ids[i % len(unit_ids)]
                for _ in range(counts[i]):
                    start = dt.date.fromordinal(first_day + rnd.randrange(span))
                    yield {"volunteer_id": uid, "unit_id": unit_id, "registrant_id": staff_id, "created_at": now,
                           "updated_at": now, "service_item": rnd.choice(SERVICE_ITEMS),
                           "content": rnd.choice(CONTENTS), "start_date": start, "end_date": start,
                           "hours": rnd.choice(hours), "status": "approved"}

        self.writer.write(ServiceRecord, rows(), sum(counts), "服務紀錄")
        return sum(counts)


def _columns(model, sample):
    """Every concrete column; values not given come from the field's default (new fields keep working)."""
    columns = []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.attname in sample:
            columns.append((field.column, field.attname, None))
        elif field.has_default() or (field.empty_strings_allowed and not field.null):
            columns.append((field.column, field.attname, field.get_default()))
        elif field.null:
            columns.append((field.column, field.attname, None))
        else:
            raise CommandError(f"{model.__name__}.{field.name} 沒有預設值")
    return columns


class CopyWriter:
    """PostgreSQL COPY … FROM STDIN through psycopg 3."""

    def write(self, model, rows, total, label):
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return
        columns = _columns(model, first)
        names = ", ".join(f'"{c}"' for c, _, _ in columns)
        with connection.cursor() as cursor, tqdm(total=total, desc=label, unit="筆") as bar:
            raw = cursor.cursor
            with raw.copy(f'COPY "{model._meta.db_table}" ({names}) FROM STDIN') as copy:
                for n, row in enumerate(_chain(first, rows), start=1):
                    copy.write_row([row.get(attr, default) for _, attr, default in columns])
                    if n % 10000 == 0:
                        bar.update(10000)
                bar.update(n % 10000)


class InsertWriter:
    """SQLite: executemany in batches of 5,000."""

    batch = 5000

    def write(self, model, rows, total, label):
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return
        columns = _columns(model, first)
        names = ", ".join(f'"{c}"' for c, _, _ in columns)
        marks = ", ".join("%s" for _ in columns)
        sql = f'INSERT INTO "{model._meta.db_table}" ({names}) VALUES ({marks})'
        with connection.cursor() as cursor, tqdm(total=total, desc=label, unit="筆") as bar:
            chunk = []
            for row in _chain(first, rows):
                chunk.append([_sqlite_value(row.get(attr, default)) for _, attr, default in columns])
                if len(chunk) == self.batch:
                    cursor.executemany(sql, chunk)
                    bar.update(len(chunk))
                    chunk = []
            if chunk:
                cursor.executemany(sql, chunk)
                bar.update(len(chunk))


def _sqlite_value(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _chain(first, rest):
    yield first
    yield from rest

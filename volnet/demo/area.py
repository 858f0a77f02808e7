"""More of 臺中市 for the desks to show (issue 13): three units with a few dozen volunteers and two years of
hours, training, insurance and awards, plus their §7 reports in three states. Deterministic (a fixed random
seed) and safe to run again. The manual's people and figures are untouched: nobody here is in the manual's
units, and none of the manual's people is in these units."""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from volnet.accounts.models import User
from volnet.lib import twid
from volnet.records.models import Award, InsuranceCoverage, InsurancePolicy, ServiceRecord, TrainingRecord
from volnet.reports import queries
from volnet.reports.models import ResultsReport, ServicePlan
from volnet.units.models import Membership, StaffRole, Unit

# (code, name, category, public body, service items, district)
UNITS = [
    ("2-310", "臺中市西屯區長青關懷志工隊(測試用)", "social_welfare", False, ["老人服務", "社區服務", "綜合服務"],
     "西屯區"),
    ("4-021", "臺中市立南屯國民小學志工隊(測試用)", "education", True, ["兒童服務", "綜合服務", "環保服務"],
     "南屯區"),
    ("5-105", "臺中市政府衛生局健康志工隊(測試用)", "health", True, ["醫療服務", "綜合服務", "社區服務"],
     "西屯區"),
]
PER_UNIT = 12
SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周"
GIVEN = ["淑芬", "志明", "美惠", "建宏", "雅婷", "俊傑", "麗華", "家豪", "秀英", "冠宇", "玉蘭", "宗翰", "怡君", "承恩",
         "淑貞", "文雄", "佳穎", "正雄", "惠珍", "柏翰"]
SUPERVISOR_ID_BASE = 7_000_000  # the demo units' supervisors


def demo_id(serial, female):
    """A valid 臺中市 (B) ID number, the same for the same serial."""
    body = f"B{2 if female else 1}{serial:07d}"
    return next(body + str(d) for d in range(10) if twid.checksum_ok(body + str(d)))


def _person(serial, name, female, birth, email=""):
    national_id = demo_id(serial, female)
    user = User.objects.filter(national_id=national_id).first()
    user = user or User.objects.create_user(national_id, None, name=name)
    user.name, user.sex, user.birth_date, user.email = name, "F" if female else "M", birth, email
    user.save()
    return user


def seed_area(authority, clerk):
    rnd = random.Random(13)
    today = timezone.localdate()
    first_year = today.year - 1
    for position, (code, name, category, public_body, items, district) in enumerate(UNITS):
        unit, _ = Unit.objects.update_or_create(code=code, defaults={
            "name": name, "authority": authority, "category": category, "public_body": public_body,
            "district": district, "address": f"臺中市{district}",
            "phone": f"04-2{position}00-1{position}00", "email": f"unit{code}@example.tw"})
        supervisor = _person(SUPERVISOR_ID_BASE + position, f"{SURNAMES[position]}督導", True,
                             dt.date(1975 + position, 4, 1), email=f"supervisor{code}@example.tw")
        StaffRole.objects.get_or_create(user=supervisor, role=StaffRole.Role.SUPERVISOR, unit=unit,
                                        status=StaffRole.Status.ACTIVE)
        people = []
        for n in range(PER_UNIT):
            serial = 1_000 + position * 100 + n
            female = n % 3 != 0
            name = SURNAMES[(n + position * 7) % len(SURNAMES)] + GIVEN[(n * 3 + position) % len(GIVEN)]
            person = _person(serial, name, female, dt.date(1950 + rnd.randrange(50), 1 + rnd.randrange(12),
                                                            1 + rnd.randrange(28)))
            joined = dt.date(first_year - rnd.randrange(3), 1 + rnd.randrange(12), 1)
            left = dt.date(today.year, 6, 30) if n == PER_UNIT - 1 else None
            Membership.objects.update_or_create(volunteer=person, unit=unit, defaults={
                "joined_on": joined, "left_on": left,
                "status": Membership.Status.ENDED if left else Membership.Status.ACTIVE})
            people.append((person, joined, left))
        _records(rnd, unit, supervisor, people, items, first_year, today)
        _reports(unit, supervisor, clerk, first_year, position)


def _months(first_year, today):
    month = dt.date(first_year, 1, 1)
    while month < today.replace(day=1):
        yield month
        month = (month + dt.timedelta(days=32)).replace(day=1)


def _records(rnd, unit, supervisor, people, items, first_year, today):
    volunteers = [person for person, _, _ in people]
    for model in (ServiceRecord, TrainingRecord, Award):
        model.objects.filter(unit=unit, volunteer__in=volunteers).delete()
    services, trainings = [], []
    for person, joined, left in people:
        for month in _months(first_year, today):
            if month < joined or (left and month > left) or rnd.random() < 0.25:
                continue
            start = month + dt.timedelta(days=rnd.randrange(20))
            services.append(ServiceRecord(
                volunteer=person, unit=unit, registrant=supervisor, service_item=rnd.choice(items),
                content="定期服務", start_date=start, end_date=start + dt.timedelta(days=rnd.randrange(5)),
                hours=Decimal(rnd.choice(["2", "3", "3.5", "4", "6", "8"]))))
        if rnd.random() < 0.85:
            day = max(joined, dt.date(first_year, 3, 1))
            trainings.append(TrainingRecord(
                volunteer=person, unit=unit, registrant=supervisor, kind="basic", course="志願服務基礎訓練",
                organiser="臺中市志願服務推廣中心", start_date=day, end_date=day, minutes=720,
                certificate_number=f"中市志基字第{person.pk}號"))
            if rnd.random() < 0.6:
                later = day + dt.timedelta(days=60)
                trainings.append(TrainingRecord(
                    volunteer=person, unit=unit, registrant=supervisor, kind="special", category=unit.category,
                    course="特殊訓練", organiser=unit.name, start_date=later, end_date=later, minutes=720,
                    certificate_number=f"中市志特字第{person.pk}號"))
    ServiceRecord.objects.bulk_create(services)
    TrainingRecord.objects.bulk_create(trainings)
    for year in (first_year, first_year + 1):
        policy, _ = InsurancePolicy.objects.update_or_create(
            unit=unit, policy_number=f"DEMO-{unit.code}-{year}", defaults={
            "insurer": "富邦產物保險", "start_date": dt.date(year, 1, 1), "end_date": dt.date(year, 12, 31),
            "accident_sum": 1_000_000, "medical_sum": 30_000, "note": "志工團體意外險"})
        for person, joined, left in people:
            if joined <= dt.date(year, 12, 31) and (left is None or left >= dt.date(year, 1, 1)):
                InsuranceCoverage.objects.get_or_create(policy=policy, volunteer=person)
    for person, _, _ in people[:2]:
        Award.objects.create(volunteer=person, unit=unit, registrant=supervisor, kind=Award.Kind.OTHER,
                             name="臺中市績優志工表揚", awarded_on=dt.date(first_year, 12, 5), granted_by="臺中市政府")


def _reports(unit, supervisor, clerk, year, position):
    """Plans for both years; the results report of last year accepted, waiting, or missing (late)."""
    for plan_year in (year, year + 1):
        ServicePlan.objects.update_or_create(unit=unit, year=plan_year, defaults={
            "recruitment": "招募 10 位志工", "training": "基礎訓練與特殊訓練各一梯", "management": "每季督導會議",
            "service_items": "、".join(UNITS[position][4]), "period_start": dt.date(plan_year, 1, 1),
            "period_end": dt.date(plan_year, 12, 31), "filed_by": supervisor})
    if position == 2:
        ResultsReport.objects.filter(unit=unit, year=year).delete()  # late: the clerk sees it and may remind
        return
    status = ResultsReport.Status.ACCEPTED if position == 0 else ResultsReport.Status.FILED
    ResultsReport.objects.update_or_create(unit=unit, year=year, defaults={
        "figures": queries.figures([unit.pk], year), "status": status, "filed_by": supervisor,
        "explanation": "數字與本隊紀錄相符。", "reviewed_by": clerk if position == 0 else None,
        "reviewed_at": timezone.now() if position == 0 else None})

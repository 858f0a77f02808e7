"""Demo data from the manual (seed/000_…txt), safe to run again: it updates, never duplicates."""

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from volnet.accounts.models import User
from volnet.albums.models import Album, Photo
from volnet.courses import services as course_services
from volnet.courses.models import Course
from volnet.courses.services import SessionInput
from volnet.demo import area, images, venues
from volnet.honorcard.models import HonorCard
from volnet.lib import rocdate
from volnet.records.models import (
    Award,
    InsuranceCoverage,
    InsurancePolicy,
    OtherItem,
    RecordBook,
    ServiceRecord,
    TrainingRecord,
)
from volnet.recruitment.models import Application, Posting
from volnet.statistics import maintain
from volnet.units.models import Authority, Membership, StaffRole, Unit

VOLUNTEER_PASSWORD = "Volunteer-2026"
SUPERVISOR_PASSWORD = "Supervisor-2026"
AUTHORITY_PASSWORD = "Authority-2026"

BEAR_ID = "E122333441"
NO_EMAIL_ID = "F135792464"
SUPERVISOR_ID = "B223456782"
AUTHORITY_STAFF_ID = "A298765437"
OTHER_REGISTRANT_ID = "B122334454"
# The team's 承辦人 and 負責人: with 何小倫 (志工督導) the three steps of a 績效證明書 request (domain.md §3.5).
TEAM_CLERK_ID = "C220556606"
TEAM_HEAD_ID = "D120334403"

# The manual's training tab, as printed: (登錄單位, 訓練起訖, 訓練單位, 訓練課程, 次數, 分鐘).
TRAININGS = [
    ("110/10/02", "110/10/03", "財團法人崇正基金會", "特殊訓練", TrainingRecord.Kind.SPECIAL, 720),
    ("110/05/10", "110/05/10", "台北市政府公務人員訓練處", "基礎訓練", TrainingRecord.Kind.BASIC, 360),
    ("110/05/05", None, "台中主要市區公所", "特殊訓練", TrainingRecord.Kind.SPECIAL, 120),
]

# The manual's record-book screens: 16 rows. (unit key, 服務項目, 服務內容, 起, 迄, 時數, 登錄人 key)
SERVICES = [
    ("team", "綜合服務", "電話問安", "115/03/01", "115/03/30", "12", "hsiao"),
    ("team", "環保服務", "環保服務", "115/03/01", "115/03/30", "9", "hsiao"),
    ("association", "綜合服務", "電話諮商", "115/03/01", "115/03/20", "12", "hsiao"),
    ("team", "綜合服務", "藝文服務", "114/07/18", "114/07/18", "3", "hsiao"),
    ("team", "綜合服務", "關懷訪視", "114/03/01", "114/03/31", "8", "hsiao"),
    ("team", "綜合服務", "活動支援", "113/10/05", "113/10/05", "4", "hsiao"),
    ("centre", "社區服務", "行政支援", "113/09/01", "113/09/30", "20", "ming"),
    ("centre", "老人服務", "電話問安", "113/02/02", "113/02/02", "10", "ming"),
    ("centre", "綜合服務", "圖書推車服務", "113/01/08", "113/02/09", "3", "ming"),
    ("centre", "綜合服務", "藝文服務", "113/01/01", "113/01/31", "3.7", "ming"),
    ("centre", "綜合服務", "電話問安", "112/10/01", "112/10/31", "6", "ming"),
    ("centre", "綜合服務", "圖書推車服務", "112/09/01", "113/01/31", "10", "ming"),
    ("centre", "老人服務", "資料整理", "112/07/01", "112/07/17", "3", "ming"),
    ("centre", "環保服務", "淨灘活動", "112/05/20", "112/05/20", "4", "ming"),
    ("association", "綜合服務", "行政支援", "112/03/01", "112/03/31", "44", "hsiao"),
    ("association", "社區服務", "社區關懷據點服務", "111/11/01", "111/11/30", "16", "hsiao"),
]


def d(text):
    return rocdate.parse(text) if text else None


class Command(BaseCommand):
    help = "載入使用手冊中的示範資料（可重複執行）。"

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true")

    @transaction.atomic
    def handle(self, *args, **options):
        authority, _ = Authority.objects.update_or_create(
            code="TXG-SOC",
            defaults={"name": "臺中市政府社會局", "kind": Authority.Kind.COMPETENT, "level": Authority.Level.MUNICIPAL},
        )
        association = self._unit("", "臺中市樂樂發展協會(測試用)", authority, None, "北屯區")
        team = self._unit("2-299", "臺中市樂樂發展協會-樂樂志工隊(測試用)", authority, association, "北屯區")
        centre = self._unit("1-187", "臺中市志願服務推廣中心志工隊", authority, None, "西區")
        units = {"association": association, "team": team, "centre": centre}
        # A unit 測試熊 does not serve in: its request to join waits in 我的檔案 (domain.md §9.12).
        library = self._unit("3-052", "臺中市立圖書館志工隊(測試用)", authority, None, "北區")

        hsiao = self._person(SUPERVISOR_ID, "何小倫", "80/03/12", "F", "hsiao.lun@example.tw", SUPERVISOR_PASSWORD)
        ming = self._person(OTHER_REGISTRANT_ID, "何銘倫", "75/08/08", "M", "ming.lun@example.tw", None)
        clerk = self._person(AUTHORITY_STAFF_ID, "林美玲", "72/11/30", "F", "mei.ling@example.tw", AUTHORITY_PASSWORD)
        team_clerk = self._person(TEAM_CLERK_ID, "蔡佩君", "82/06/18", "F", "pei.chun@example.tw", SUPERVISOR_PASSWORD)
        team_head = self._person(TEAM_HEAD_ID, "林志遠", "65/09/09", "M", "chih.yuan@example.tw", SUPERVISOR_PASSWORD)
        for staff, role, unit in [(team_clerk, StaffRole.Role.CLERK, team), (team_head, StaffRole.Role.HEAD, team),
                                  (hsiao, StaffRole.Role.SUPERVISOR, team),
                                  (hsiao, StaffRole.Role.SUPERVISOR, association),
                                  (ming, StaffRole.Role.CLERK, centre), (ming, StaffRole.Role.CLERK, library)]:
            StaffRole.objects.get_or_create(user=staff, role=role, unit=unit)
        StaffRole.objects.get_or_create(user=clerk, role=StaffRole.Role.AUTHORITY_STAFF, authority=authority)
        registrants = {"hsiao": hsiao, "ming": ming}

        bear = self._person(BEAR_ID, "測試熊", "70/05/20", "M", "test.bear@example.tw", VOLUNTEER_PASSWORD,
                            phone="0912-345-678", address="臺中市西屯區臺灣大道三段99號",
                            emergency_contact="測試媽媽", emergency_phone="04-2222-3333")
        if not bear.photo:
            bear.photo.save("demo-bear.jpg", ContentFile(images.portrait_jpeg()), save=True)
        grandma = self._person(NO_EMAIL_ID, "陳大同", "60/01/15", "M", "", VOLUNTEER_PASSWORD, phone="04-2345-6789")

        for volunteer, unit, joined in [(bear, team, "110/05/01"), (bear, association, "110/05/01"),
                                        (bear, centre, "112/01/01"), (grandma, team, "112/06/01")]:
            Membership.objects.get_or_create(volunteer=volunteer, unit=unit, status=Membership.Status.ACTIVE,
                                             defaults={"joined_on": d(joined)})

        if not Membership.objects.filter(volunteer=bear, unit=library).exists():
            Membership.objects.create(volunteer=bear, unit=library, status=Membership.Status.PENDING,
                                      joined_on=d("115/11/01"), requested_by=ming, requested_at=timezone.now())

        TrainingRecord.objects.filter(volunteer=bear).delete()
        TrainingRecord.objects.bulk_create(
            TrainingRecord(volunteer=bear, unit=team, registrant=hsiao, start_date=d(start), end_date=d(end),
                           organiser=organiser, course=course, kind=kind, minutes=minutes, sessions=1,
                           category="social_welfare" if kind == TrainingRecord.Kind.SPECIAL else "",
                           certificate_number=f"中社訓字第{110000 + i}號")
            for i, (start, end, organiser, course, kind, minutes) in enumerate(reversed(TRAININGS), start=1)
        )
        ServiceRecord.objects.filter(volunteer=bear).delete()
        # Created oldest first so that equal dates list in the manual's order (newest id first).
        ServiceRecord.objects.bulk_create(
            ServiceRecord(volunteer=bear, unit=units[unit], service_item=item, content=content,
                          start_date=d(start), end_date=d(end), hours=Decimal(hours), registrant=registrants[who])
            for unit, item, content, start, end, hours, who in reversed(SERVICES)
        )
        ServiceRecord.objects.filter(volunteer=grandma).delete()
        ServiceRecord.objects.create(volunteer=grandma, unit=team, service_item="老人服務", content="據點共餐協助",
                                     start_date=d("115/10/01"), end_date=d("115/10/31"), hours=Decimal("16"),
                                     registrant=hsiao)

        RecordBook.objects.update_or_create(
            volunteer=bear, authority=authority, number="TC110-000123",
            defaults={"issued_on": d("110/11/01"), "status": RecordBook.Status.FIRST,
                      "category": "social_welfare", "applied_by": team},
        )

        for number, start, end in [("FB-114-VOL-0299", "114/01/01", "114/12/31"),
                                   ("FB-115-VOL-0299", "115/01/01", "115/12/31")]:
            policy, _ = InsurancePolicy.objects.update_or_create(
                unit=team, policy_number=number,
                defaults={"insurer": "富邦產物保險", "start_date": d(start), "end_date": d(end),
                          "accident_sum": 1_000_000, "medical_sum": 30_000, "note": "志工團體意外險",
                          "registrant": hsiao},
            )
            for volunteer in (bear, grandma):
                InsuranceCoverage.objects.get_or_create(policy=policy, volunteer=volunteer)

        OtherItem.objects.update_or_create(
            volunteer=bear, unit=team, title="志工隊小隊長",
            defaults={"content": "協助排班與新進志工引導", "start_date": d("114/01/01"), "end_date": d("114/12/31"),
                      "registrant": hsiao},
        )
        Award.objects.update_or_create(
            volunteer=bear, kind=Award.Kind.OTHER, name="臺中市績優志工表揚",
            defaults={"unit": team, "level": "績優志工", "awarded_on": d("113/12/05"), "granted_by": "臺中市政府",
                      "certificate_number": "中市社字第1130001234號", "registrant": hsiao},
        )
        HonorCard.objects.update_or_create(
            authority=authority, number="TC-HC-114-00088",
            defaults={"volunteer": bear, "valid_from": d("114/06/30"), "valid_to": d("117/06/30"),
                      "counted_from": d("110/10/03"), "counted_to": d("114/05/31"), "status": HonorCard.Status.ACTIVE},
        )

        posting, _ = Posting.objects.update_or_create(
            unit=team, title="社區長者電話問安志工",
            defaults={"service_item": "老人服務", "place": "臺中市西屯區（可在家服務）", "start_date": d("115/01/01"),
                      "end_date": d("115/12/31"), "quota": 10, "requirements": "完成基礎訓練，每週可服務 2 小時",
                      "description": "每週以電話關懷獨居長者，協助轉介需求。", "created_by": hsiao},
        )
        Posting.objects.update_or_create(
            unit=centre, title="圖書推車服務志工",
            defaults={"service_item": "綜合服務", "place": "臺中市志願服務推廣中心", "start_date": d("115/09/01"),
                      "end_date": d("116/06/30"), "quota": 6, "requirements": "喜歡閱讀、能久站",
                      "description": "推著圖書車到各樓層提供借閱服務。", "created_by": ming},
        )
        Application.objects.get_or_create(posting=posting, volunteer=bear,
                                          defaults={"status": Application.Status.ACCEPTED,
                                                    "message": "我可以每週服務兩次。",
                                                    "decided_by": hsiao, "decided_at": timezone.now()})

        album, created = Album.objects.get_or_create(
            unit=team, title="115年度志工特殊訓練",
            defaults={"description": "樂樂志工隊特殊訓練活動花絮", "taken_on": d("115/03/15"), "created_by": hsiao},
        )
        if created or not album.photos.exists():
            for i, caption in enumerate(["課程開場", "分組討論", "結業合影"]):
                photo = Photo(album=album, caption=caption)
                photo.image.save(f"demo-album-{i}.jpg", ContentFile(images.scene_jpeg(i)), save=False)
                photo.save()

        area.seed_area(authority, clerk)
        venues.seed_venues(authority, timezone.localdate())
        self._courses(authority, clerk, centre, ming, team, hsiao)

        # the hours above were written with bulk_create, around the models: sum the statistics again
        maintain.rebuild()
        if not options["quiet"]:
            self.stdout.write(self.style.SUCCESS("示範資料已載入：志工 測試熊 E122333441 / Volunteer-2026"))

    def _courses(self, authority, clerk, centre, ming, team, hsiao):
        """A few upcoming courses (issue 15), counted from today so `make run` always shows them open."""
        today = timezone.localdate()

        def sessions(first, subjects, start=9):
            return [SessionInput(subject, first + dt.timedelta(days=n // 2), dt.time(start + 3 * (n % 2)),
                                 dt.time(start + 3 * (n % 2) + minutes // 60), minutes)
                    for n, (subject, minutes) in enumerate(subjects)]

        plans = [
            (clerk, {"authority": authority}, dict(
                kind="basic", title="臺中市志願服務基礎訓練（週六班）", place="臺中市政府社會局 文心樓 3 樓大禮堂",
                capacity=40, contact_name="林美玲", contact_phone="04-2228-9111"),
             sessions(today + dt.timedelta(days=14), course_services.BASIC_SUBJECTS)),
            (ming, {"unit": centre}, dict(
                kind="special", category="social_welfare", title="社會福利類特殊訓練",
                place="臺中市志願服務推廣中心 研習教室", capacity=30, contact_name="何銘倫"),
             sessions(today + dt.timedelta(days=21), course_services.SOCIAL_WELFARE_SUBJECTS)),
            (hsiao, {"unit": team}, dict(
                kind="special", category="social_welfare", title="樂樂志工隊長者關懷特殊訓練（線上）", place="",
                online_url="https://meet.example.tw/lele-care", capacity=15, audience="own", contact_name="何小倫"),
             sessions(today + dt.timedelta(days=10), course_services.SOCIAL_WELFARE_SUBJECTS[:2], start=19)),
        ]
        for actor, organiser, fields, planned in plans:
            if Course.objects.filter(title=fields["title"], **organiser).exists():
                continue
            course_services.publish(actor, sessions=planned, today=today, enrol_from=today,
                                    enrol_until=planned[0].date - dt.timedelta(days=1), description="",
                                    **{"audience": "anyone", "category": "", "online_url": "", **fields}, **organiser)

    def _unit(self, code, name, authority, parent, district=""):
        unit, _ = Unit.objects.update_or_create(
            name=name, defaults={"code": code, "authority": authority, "parent": parent, "district": district}
        )
        return unit

    def _person(self, national_id, name, birth, sex, email, password, **extra):
        user = User.objects.filter(national_id=national_id).first()
        if user is None:
            user = User.objects.create_user(national_id, password, name=name)
        user.name = name
        user.birth_date = d(birth)
        user.sex = sex
        user.email = email
        user.email_verified_at = user.email_verified_at or (timezone.now() if email else None)
        for key, value in extra.items():
            setattr(user, key, value)
        if password and not user.check_password(password):
            user.set_password(password)
        user.must_change_password = False
        user.failed_logins = 0
        user.locked_until = None
        user.save()
        return user

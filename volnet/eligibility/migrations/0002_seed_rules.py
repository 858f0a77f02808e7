"""The figures of the law as of 2026 (domain.md §0, §3.4–3.7). Change them with a new migration or in the admin."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

LAW_START = dt.date(2001, 1, 20)  # 志願服務法 promulgated 民國90年1月20日

RULES = [
    # 基礎訓練 12 h until 2018-05-31, 6 h since 2018-06-01; 特殊訓練 (社會福利類) 6 h.
    dict(scheme="basic_training", name="基礎訓練", min_minutes=720, needs_record_book=False,
         effective_from=LAW_START, effective_to=dt.date(2018, 5, 31), basis="志願服務法第9條；基礎訓練課程 12 小時"),
    dict(scheme="basic_training", name="基礎訓練", min_minutes=360, needs_record_book=False,
         effective_from=dt.date(2018, 6, 1), basis="志願服務法第9條；107年6月1日起基礎訓練 6 小時"),
    dict(scheme="special_training", name="特殊訓練", min_minutes=360, needs_record_book=False,
         effective_from=LAW_START, basis="志願服務法第9條；社會福利類特殊訓練 6 小時"),
    dict(scheme="honor_card", name="志願服務榮譽卡", min_months=36, min_hours=Decimal(300), validity_months=36,
         needs_record_book=True, needs_training=True, needs_photo=True, effective_from=LAW_START,
         basis="志願服務法第20條；志工申請志願服務榮譽卡作業規定"),
    dict(scheme="certificate", name="志願服務績效證明書", min_months=12, min_hours=Decimal(150), per_unit=True,
         needs_record_book=True, effective_from=LAW_START, basis="志願服務績效證明書發給作業規定"),
]
for rank, (level, label, hours) in enumerate([("bronze", "銅牌", 3000), ("silver", "銀牌", 5000), ("gold", "金牌", 8000)], 1):
    RULES.append(dict(scheme="volunteer_medal", level=level, rank=rank, name=f"志願服務績優{label}獎", level_label=label,
                      min_hours=Decimal(hours), needs_record_book=True, needs_certificate=True, once_per_level=True,
                      effective_from=LAW_START, basis="志願服務獎勵辦法第5條"))
for rank, (level, label, hours) in enumerate([("bronze", "銅質", 1500), ("silver", "銀質", 2000), ("gold", "金質", 2500)], 1):
    RULES.append(dict(scheme="health_badge", level=level, rank=rank, name=f"衛生福利志願服務{label}徽章",
                      level_label=label, min_hours=Decimal(hours), needs_record_book=True, once_per_level=True,
                      effective_from=LAW_START, basis="衛生福利志願服務獎勵辦法第4條"))


def seed(apps, schema_editor):
    Rule = apps.get_model("eligibility", "Rule")
    for fields in RULES:
        fields = dict(fields)
        key = {"scheme": fields.pop("scheme"), "level": fields.pop("level", ""), "effective_from": fields.pop("effective_from")}
        Rule.objects.update_or_create(**key, defaults=fields)


def unseed(apps, schema_editor):
    apps.get_model("eligibility", "Rule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0001_rules")]

    operations = [migrations.RunPython(seed, unseed)]

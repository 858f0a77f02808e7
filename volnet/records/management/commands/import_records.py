"""`python manage.py import_records FILE --unit CODE`: the Excel import from a shell.

Same checks as the back office, all rows or none. Exit status 0 = imported (or a clean --dry-run),
1 = some rows are wrong (each one listed, nothing written), 2 = the file cannot be read at all.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from volnet.lib import twid
from volnet.records import imports
from volnet.units import access
from volnet.units.models import Unit


class Command(BaseCommand):
    help = "從 Excel（.xlsx）匯入服務時數或教育訓練：全部列都正確才寫入，否則一筆都不寫入。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="要匯入的 .xlsx 檔")
        parser.add_argument("--unit", required=True, help="運用單位代碼，例如 2-299")
        parser.add_argument("--kind", choices=[imports.SERVICE, imports.TRAINING],
                            help="service（服務時數）或 training（教育訓練）；省略時依標題列判斷")
        parser.add_argument("--registrant", help="登錄人的身分證號碼（須為該單位的工作人員）")
        parser.add_argument("--dry-run", action="store_true", help="只檢查，不寫入")
        parser.add_argument("--no-progress", action="store_true", help="不顯示進度列")

    def handle(self, *args, file, unit, kind, registrant, dry_run, no_progress, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到檔案：{path}", returncode=2)
        target = Unit.objects.filter(code=unit).first()
        if target is None:
            raise CommandError(f"找不到單位代碼「{unit}」。", returncode=2)
        staff = self._registrant(registrant, target)

        bars = _Bars(disable=no_progress, stream=getattr(self.stderr, "_out", None))
        try:
            outcome = imports.import_file(
                path, unit=target, registrant=staff, kind=kind, dry_run=dry_run, file_name=path.name,
                source_label="command", progress=bars.callbacks(),
            )
        except imports.ImportFileError as error:
            raise CommandError(error.message, returncode=2) from None
        finally:
            bars.close()

        check = outcome.check
        label = imports.KIND_LABELS[check.kind]
        self.stdout.write(f"檔案：{path.name}　類別：{label}　單位：{target.label}　資料：{len(check.rows):,} 列")
        for notice in check.notices:
            self.stdout.write(self.style.WARNING(notice))
        for row in check.rows:
            if row.errors:
                self.stdout.write(f"第 {row.line} 列：" + "；".join(row.errors))
            if row.warnings:
                self.stdout.write(self.style.WARNING(f"第 {row.line} 列（提醒）：" + "；".join(row.warnings)))
        if check.error_count:
            raise CommandError(f"有 {check.error_count:,} 列錯誤，沒有匯入任何資料。請修正後重新執行。", returncode=1)
        if dry_run:
            self.stdout.write(self.style.SUCCESS(f"檢查通過：{len(check.rows):,} 列都可以匯入（--dry-run，未寫入）。"))
            return
        if staff is None:
            self.stdout.write(self.style.WARNING("未指定 --registrant，登錄人留白。"))
        self.stdout.write(self.style.SUCCESS(f"已匯入 {outcome.created:,} 筆{label}到 {target.label}。"))

    def _registrant(self, number, unit):
        if not number:
            return None
        try:
            number = twid.validate(number)
        except twid.IdNumberError as error:
            raise CommandError(f"--registrant：{error}", returncode=2) from None
        person = get_user_model().objects.filter(national_id=number).first()
        if person is None or not access.can_manage_unit(person, unit):
            raise CommandError(f"--registrant：{number} 不是 {unit.label} 的工作人員。", returncode=2)
        return person


class _Bars:
    """One tqdm bar per phase (讀取, 檢查, 寫入), opened when the phase reports its first rows."""

    LABELS = {"read": "讀取", "check": "檢查", "write": "寫入"}

    def __init__(self, disable, stream):
        self.disable = disable
        self.stream = stream
        self.bars = {}

    def callbacks(self):
        return {phase: self._callback(phase) for phase in self.LABELS}

    def _callback(self, phase):
        def advance(count):
            bar = self.bars.get(phase)
            if bar is None:
                bar = self.bars[phase] = tqdm(desc=self.LABELS[phase], unit="列", disable=self.disable,
                                              file=self.stream, mininterval=0.5, leave=True)
            bar.update(count)

        return advance

    def close(self):
        for bar in self.bars.values():
            bar.close()

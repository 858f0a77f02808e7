"""`python manage.py import_records FILE --unit CODE`: the Excel import from a shell.

Same checks as the back office, all rows or none. Exit status 0 = imported (or a clean --dry-run),
1 = some rows are wrong (each one listed, nothing written), 2 = the file cannot be read at all.
Messages are in the active language (settings.LANGUAGE_CODE, Traditional Chinese, from a shell), or
in the one `--language en` names.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from tqdm import tqdm

from volnet.lib import twid
from volnet.records import imports
from volnet.units import access
from volnet.units.models import Unit


class Command(BaseCommand):
    @property
    def help(self):
        # A property, not a lazy string: argparse's formatter needs real text.
        return _("從試算表（.xlsx 或 .ods）匯入服務時數或教育訓練：全部列都正確才寫入，否則一筆都不寫入。")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("要匯入的 .xlsx 或 .ods 檔"))
        parser.add_argument("--unit", required=True, help=_("運用單位代碼，例如 2-299"))
        parser.add_argument("--kind", choices=[imports.SERVICE, imports.TRAINING],
                            help=_("service（服務時數）或 training（教育訓練）；省略時依標題列判斷"))
        parser.add_argument("--registrant", help=_("登錄人的身分證號碼（須為該單位的工作人員）"))
        parser.add_argument("--dry-run", action="store_true", help=_("只檢查，不寫入"))
        parser.add_argument("--no-progress", action="store_true", help=_("不顯示進度列"))
        parser.add_argument("--language", choices=[code for code, _name in settings.LANGUAGES],
                            help=_("訊息的語言，例如 en；省略時為中文"))

    def handle(self, *args, language=None, **options):
        if language is None:
            return self._import(**options)
        with translation.override(language):
            return self._import(**options)

    def _import(self, *, file, unit, kind, registrant, dry_run, no_progress, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("找不到檔案：%(path)s") % {"path": path}, returncode=2)
        target = Unit.objects.filter(code=unit).first()
        if target is None:
            raise CommandError(_("找不到單位代碼「%(code)s」。") % {"code": unit}, returncode=2)
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
        rows = len(check.rows)
        self.stdout.write(ngettext("檔案：%(file)s　類別：%(kind)s　單位：%(unit)s　資料：%(count)s 列",
                                   "檔案：%(file)s　類別：%(kind)s　單位：%(unit)s　資料：%(count)s 列", rows)
                          % {"file": path.name, "kind": imports.KIND_LABELS[check.kind], "unit": target.label,
                             "count": f"{rows:,}"})
        for notice in check.notices:
            self.stdout.write(self.style.WARNING(notice))
        for row in check.rows:
            if row.errors:
                self.stdout.write(_("第 %(line)s 列：%(problems)s")
                                  % {"line": row.line, "problems": _problems(row.errors)})
            if row.warnings:
                self.stdout.write(self.style.WARNING(
                    _("第 %(line)s 列（提醒）：%(problems)s") % {"line": row.line, "problems": _problems(row.warnings)}
                ))
        if check.error_count:
            raise CommandError(
                ngettext("有 %(count)s 列錯誤，沒有匯入任何資料。請修正後重新執行。",
                         "有 %(count)s 列錯誤，沒有匯入任何資料。請修正後重新執行。", check.error_count)
                % {"count": f"{check.error_count:,}"},
                returncode=1,
            )
        if dry_run:
            self.stdout.write(self.style.SUCCESS(
                ngettext("檢查通過：%(count)s 列都可以匯入（--dry-run，未寫入）。",
                         "檢查通過：%(count)s 列都可以匯入（--dry-run，未寫入）。", rows) % {"count": f"{rows:,}"}
            ))
            return
        if staff is None:
            self.stdout.write(self.style.WARNING(_("未指定 --registrant，登錄人留白。")))
        if check.kind == imports.SERVICE:
            done = ngettext("已匯入 %(count)s 筆服務時數到 %(unit)s。", "已匯入 %(count)s 筆服務時數到 %(unit)s。",
                            outcome.created)
        else:
            done = ngettext("已匯入 %(count)s 筆教育訓練到 %(unit)s。", "已匯入 %(count)s 筆教育訓練到 %(unit)s。",
                            outcome.created)
        self.stdout.write(self.style.SUCCESS(done % {"count": f"{outcome.created:,}", "unit": target.label}))

    def _registrant(self, number, unit):
        if not number:
            return None
        try:
            number = twid.validate(number)
        except twid.IdNumberError as error:
            raise CommandError(_("--registrant：%(problem)s") % {"problem": error}, returncode=2) from None
        person = get_user_model().objects.filter(national_id=number).first()
        if person is None or not access.can_manage_unit(person, unit):
            raise CommandError(_("--registrant：%(number)s 不是 %(unit)s 的工作人員。")
                               % {"number": number, "unit": unit.label}, returncode=2)
        return person


def _problems(messages):
    """A row's problems on one line: `；` between them in Chinese, `; ` in English."""
    return pgettext("between a row's problems", "；").join(str(message) for message in messages)


class _Bars:
    """One tqdm bar per phase (讀取, 檢查, 寫入), opened when the phase reports its first rows.

    The words are lazy and read when a bar opens, inside the command's language."""

    LABELS = {"read": gettext_lazy("讀取"), "check": gettext_lazy("檢查"), "write": gettext_lazy("寫入")}

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
                bar = self.bars[phase] = tqdm(desc=str(self.LABELS[phase]), unit=pgettext("progress bar unit", "列"),
                                              disable=self.disable, file=self.stream, mininterval=0.5, leave=True)
            bar.update(count)

        return advance

    def close(self):
        for bar in self.bars.values():
            bar.close()

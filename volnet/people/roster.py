"""志工名冊: a unit's roster with the fields of the 管理辦法 (§5: 姓名、性別、出生年月日、身分證統一編號或護照號碼;
domain.md §3.3), its 志工編號, joining date, 見習期 and status, as .xlsx or .ods.

Only memberships the person accepted are listed (domain.md §9.12): someone the unit asked and who has not
answered is not on the unit's roster. ID numbers are masked (the last 4 characters, domain.md §9.3) unless
the staff member asks for the full number, which the audit log notes with every download.
"""

from volnet.audit import log
from volnet.lib import masking, rocdate, spreadsheets
from volnet.units import access
from volnet.units.models import Membership

# zh-only: the roster's headings are a data format (the 管理辦法's fields), the same in every language
COLUMNS = [
    spreadsheets.Column("志工編號", width=12, text=True),
    spreadsheets.Column("姓名", width=12),
    spreadsheets.Column("性別", width=6),
    spreadsheets.Column("出生年月日(民國)", width=16, text=True),
    spreadsheets.Column("身分證統一編號或護照號碼", width=24, text=True),
    spreadsheets.Column("加入日期(民國)", width=14, text=True),
    spreadsheets.Column("見習期至(民國)", width=14, text=True),
    spreadsheets.Column("狀態", width=8),
    spreadsheets.Column("離隊日期(民國)", width=14, text=True),
]
# zh-only: the words a roster's cells hold (data format)
SEXES = {"M": "男", "F": "女"}
# zh-only: the words a roster's cells hold (data format)
STATUSES = {Membership.Status.ACTIVE: "服務中", Membership.Status.ENDED: "已離隊"}
# zh-only: the sheet's name is part of the data format
SHEET_NAME = "志工名冊"


def memberships(user, unit, *, include_ended=False):
    """The unit's accepted memberships (serving, and those who left if asked) in the roster's order."""
    return access.unit_members(user, unit, active_only=not include_ended).order_by(
        "status", "volunteer_number", "volunteer__name", "pk")


def rows(user, unit, *, include_ended=False, full_id=False):
    fields = ("volunteer_number", "volunteer__name", "volunteer__sex", "volunteer__birth_date",
              "volunteer__national_id", "joined_on", "trial_until", "status", "left_on")
    for number, name, sex, born, national_id, joined, trial, status, left in (
        memberships(user, unit, include_ended=include_ended).values_list(*fields).iterator(chunk_size=2000)
    ):
        yield [number, name, SEXES.get(sex, ""), rocdate.format(born),
               national_id if full_id else masking.mask_id(national_id), rocdate.format(joined),
               rocdate.format(trial), STATUSES.get(status, status), rocdate.format(left)]


def download(user, unit, file_format, *, include_ended=False, full_id=False, request=None, progress=None):
    """The roster as a rewound temporary file; the download is written to the audit log.
    `progress(rows)`: called as rows are written."""
    count = memberships(user, unit, include_ended=include_ended).count()
    log.record("people.roster.downloaded", actor=user, unit=unit, request=request,
               changes={"format": file_format, "count": count, "full_id": full_id, "include_ended": include_ended})
    lines = rows(user, unit, include_ended=include_ended, full_id=full_id)
    sheet = spreadsheets.Sheet(SHEET_NAME, _counted(lines, progress) if progress else lines, COLUMNS)
    return spreadsheets.write_book([sheet], file_format)


def _counted(lines, progress):
    for number, line in enumerate(lines, 1):
        yield line
        if number % 500 == 0:
            progress(500)


def make(user, *, unit_id, file_format, include_ended, full_id, request=None, progress=None):
    """`download` in the worker (records.filejobs' maker): the unit is looked up again through the user's
    tenancy, so a staff member who no longer manages it gets nothing."""
    unit = access.managed_units(user).get(pk=unit_id)
    return download(user, unit, file_format, include_ended=include_ended, full_id=full_id, request=request,
                    progress=progress)


def file_name(unit, file_format, today):
    # zh-only: the file's name says what it is in the roster's own language
    return f"{unit.code or unit.pk}-志工名冊-{rocdate.format(today).replace('/', '')}.{file_format}"

"""榮譽卡優惠場所: the places that honour the honor card (志願服務法 §20), kept by the local competent authorities.

- Who keeps which: `units.access.venue_authorities` (the clerk's own authorities); `kept_venues` starts
  every back-office list from it.
- The rules of one venue are `problems()` (the form, the Excel import and every action ask it): a name, a
  city of Taiwan and its district, a category, the benefit, the address, and a valid period whose end (if
  any) is not before its start. One authority lists a place (name and address) once.
- Actions: `create`, `update`, `end` (stops it from today, with a reason) and the import (`check_file`,
  `import_file`): atomic, audited, refusing with a `VenueError`.
- The public search: `search()` over the venues valid today (`Venue.objects.valid_on`).

The import reuses the hours import's machinery: the guarded reader (`records.imports.read_table`: no
formula, no zip bomb, .xlsx or .ods), its row results and outcome, and `records.staging` for the file
between its preview and its commit. Every row is checked; any bad row stops the whole file.
"""

import dataclasses
import re

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from volnet.audit import log as audit
from volnet.errors import DomainError
from volnet.forms import max_length
from volnet.lib import rocdate, spreadsheets
from volnet.lib.text import fold_width
from volnet.records import imports
from volnet.records.choices import source_labels
from volnet.units import access
from volnet.units.models import Authority

from .models import CITIES, Venue

KIND = "venues"  # the staged upload's kind
FIELDS = ("name", "city", "district", "category", "benefit", "address", "phone", "opening_hours", "valid_from",
          "valid_to")
REASON_LENGTH = 200
MAX_ROWS = 5_000
MAX_WORDS = 5
WORD_LENGTH = 30


class VenueError(DomainError):
    """A refused venue action (volnet.errors.DomainError)."""


# --- the rules ---------------------------------------------------------------------------------------


def normalise_city(text):
    """`台中市` and `臺中` → `臺中市`; anything else as typed (the rules then refuse it)."""
    text = fold_width(text or "").strip().replace("台", "臺")  # zh-only: the two ways of writing 臺
    if text in CITIES:
        return text
    return next((city for city in CITIES if city[:2] == text), text)


def problems(data):
    """{field: message} for what is wrong with a venue's values (`data`: the FIELDS, dates as dates)."""
    found = {}
    required = {"name": _("請填寫場所名稱。"), "district": _("請填寫鄉鎮市區。"), "benefit": _("請填寫優惠內容。"),
                "address": _("請填寫地址。"), "valid_from": _("請填寫優惠期間起日。")}
    for key, message in required.items():
        if not data.get(key):
            found[key] = message
    for key in ("name", "district", "benefit", "address", "phone", "opening_hours"):
        limit = max_length(Venue, key)
        if len(data.get(key) or "") > limit:
            found[key] = _("%(field)s最多 %(limit)s 字。") % {"field": Venue._meta.get_field(key).verbose_name,
                                                          "limit": limit}
    if data.get("city") not in CITIES:
        found["city"] = _("請選擇縣市，例如 臺中市。")
    if data.get("category") not in Venue.Category.values:
        found["category"] = _("請選擇類別：%(choices)s。") % {"choices": "、".join(category_words().values())}
    start, end = data.get("valid_from"), data.get("valid_to")
    if start and end and end < start:
        found["valid_to"] = _("優惠期間迄日早於起日，請確認。")
    return found


def category_words():
    """{value: 風景遊憩區…}: the words the import reads and the template lists, Chinese in every language."""
    return source_labels(Venue.Category.choices)


def kept_venues(actor):
    """The venues of the actor's authorities: every back-office list starts here."""
    return Venue.objects.filter(authority__in=access.venue_authorities(actor))


def _duplicate(authority, data, exclude=None):
    same = Venue.objects.filter(authority=authority, name=data["name"], address=data["address"])
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    return same.exists()


def _refuse_problems(data):
    found = problems(data)
    if found:
        field, message = next(iter(found.items()))
        raise VenueError("invalid", message, field=field, problems=found)


def _snapshot(venue):
    return {key: rocdate.format(value) if hasattr(value, "year") else str(value or "")
            for key, value in ((key, getattr(venue, key)) for key in FIELDS)}


# --- actions -----------------------------------------------------------------------------------------


def _require_authority(actor, authority):
    if authority is None or not access.venue_authorities(actor).filter(pk=authority.pk).exists():
        raise VenueError("forbidden", _("您沒有維護這個主管機關優惠場所的權限。"))


def create(*, actor, authority, data, request=None):
    """Add a venue to the authority's list."""
    _require_authority(actor, authority)
    _refuse_problems(data)
    with transaction.atomic():
        if _duplicate(authority, data):
            raise VenueError("duplicate", _("這個場所（名稱與地址相同）已在清單中。"), field="name")
        venue = Venue.objects.create(authority=authority, **{key: data.get(key) or _empty(key) for key in FIELDS})
        audit.record("honorcard.venue.created", actor=actor, obj=venue, changes=_snapshot(venue), request=request)
    return venue


def _empty(key):
    return None if key == "valid_to" else ""


def update(*, actor, venue, data, request=None):
    """Change a venue's entry (an ended one too: e.g. to correct it)."""
    _require_authority(actor, venue.authority)
    _refuse_problems(data)
    with transaction.atomic():
        locked = Venue.objects.select_for_update().get(pk=venue.pk)
        if _duplicate(locked.authority, data, exclude=locked):
            raise VenueError("duplicate", _("這個場所（名稱與地址相同）已在清單中。"), field="name")
        before = _snapshot(locked)
        for key in FIELDS:
            setattr(locked, key, data.get(key) or _empty(key))
        locked.updated_at = timezone.now()
        locked.save()
        audit.record("honorcard.venue.updated", actor=actor, obj=locked,
                     changes=audit.diff(before, _snapshot(locked)), request=request)
    return locked


def end(*, actor, venue, reason, request=None):
    """停止優惠: the venue leaves the public search at once, with the reason kept."""
    _require_authority(actor, venue.authority)
    reason = (reason or "").strip()[:REASON_LENGTH]
    if not reason:
        raise VenueError("reason_required", _("請填寫原因。"), field="reason")
    with transaction.atomic():
        locked = Venue.objects.select_for_update().get(pk=venue.pk)
        if locked.ended_at is not None:
            raise VenueError("already_ended", _("這個場所已停止優惠。"))
        locked.ended_at, locked.ended_reason = timezone.now(), reason
        locked.save(update_fields=["ended_at", "ended_reason"])
        audit.record("honorcard.venue.ended", actor=actor, obj=locked, changes={"reason": reason}, request=request)
    return locked


# --- the public search -------------------------------------------------------------------------------


@dataclasses.dataclass
class Search:
    city: str = ""
    category: str = ""
    words: tuple = ()
    problems: dict = dataclasses.field(default_factory=dict)  # {field: message} for filters set aside


def read_search(params):
    """The search box's filters from a query string; a bad one is set aside with a message, never an error."""
    search = Search()
    city = normalise_city(params.get("city", ""))
    if city in CITIES:
        search.city = city
    elif city:
        search.problems["city"] = _("沒有這個縣市，已改為查詢全部縣市。")
    category = (params.get("category") or "").strip()
    if category in Venue.Category.values:
        search.category = category
    elif category:
        search.problems["category"] = _("沒有這個類別，已改為查詢全部類別。")
    text = fold_width(params.get("q") or "").replace("\x00", "")
    words = [word[:WORD_LENGTH] for word in re.split(r"[\s,，、]+", text) if word]
    if len(words) > MAX_WORDS:
        search.problems["q"] = _("關鍵字最多 %(count)s 個，只用前 %(count)s 個查詢。") % {"count": MAX_WORDS}
    search.words = tuple(words[:MAX_WORDS])
    return search


def search(filters, today=None):
    """The venues valid today matching the filters (every word in the name, district, address or benefit)."""
    found = Venue.objects.valid_on(today or timezone.localdate()).select_related("authority")
    if filters.city:
        found = found.filter(city=filters.city)
    if filters.category:
        found = found.filter(category=filters.category)
    for word in filters.words:
        word = word.replace("台", "臺")  # zh-only: the two ways of writing 臺
        found = found.filter(Q(name__icontains=word) | Q(district__icontains=word) | Q(address__icontains=word)
                             | Q(benefit__icontains=word))
    return found


# --- the Excel import ----------------------------------------------------------------------------------

# zh-only: titles, aliases and examples are the file format; each help is translated (gettext_lazy)
COLUMNS = (
    imports.Column("name", "場所名稱", ("名稱", "場所"), help=gettext_lazy("最多 100 字"),
                   example="臺中市立美術館", width=24),
    imports.Column("city", "縣市", help=gettext_lazy("例如 臺中市（台中市亦可）"), example="臺中市", width=10),
    imports.Column("district", "鄉鎮市區", ("區", "行政區"), help=gettext_lazy("例如 西區"), example="西區", width=10),
    imports.Column("category", "類別", help=gettext_lazy("風景遊憩區、康樂場所、文教設施、運動場館或其他"),
                   example="文教設施", width=12),
    imports.Column("benefit", "優惠內容", ("優惠",), help=gettext_lazy("例如 持卡本人免費入館"),
                   example="持卡本人免費入館", width=24),
    imports.Column("address", "地址", help=gettext_lazy("最多 200 字"), example="臺中市西區五權西路一段2號",
                   width=30),
    imports.Column("phone", "電話", required=False, help=gettext_lazy("例如 04-2372-3552"),
                   example="04-2372-3552", width=16),
    imports.Column("opening_hours", "開放時間", required=False, help=gettext_lazy("例如 週二至週日 9:00-17:00"),
                   example="週二至週日 9:00-17:00", width=24),
    imports.Column("valid_from", "優惠期間起(民國)", ("優惠期間起", "起日"),
                   help=gettext_lazy("民國年，例如 115/01/01"), example="115/01/01", width=14),
    imports.Column("valid_to", "優惠期間迄(民國)", ("優惠期間迄", "迄日"), required=False,
                   help=gettext_lazy("空白表示沒有期限"), example="117/12/31", width=14),
)
TEXT_KEYS = ("name", "district", "benefit", "address", "phone", "opening_hours")


def clean_row(line, texts):
    """One row of the file → imports.RowResult with `data` (the FIELDS) and its errors."""
    row = imports.RowResult(line=line, cells=texts)
    cells = dict(zip((column.key for column in COLUMNS), texts, strict=True))
    data = {key: cells[key] for key in TEXT_KEYS}
    data["city"] = normalise_city(cells["city"])
    words = {word: value for value, word in category_words().items()}
    data["category"] = words.get(cells["category"].strip(), cells["category"])
    titles = {column.key: column.title for column in COLUMNS}
    for key in ("valid_from", "valid_to"):
        data[key] = None
        if cells[key] or key == "valid_from":
            data[key], message = imports.parse_date_text(cells[key])
            if message:
                row.errors.append(f"{titles[key]}：{message}")
    for key, message in problems(data).items():
        if key in ("valid_from",) and any(error.startswith(titles[key]) for error in row.errors):
            continue
        row.errors.append(f"{titles[key]}：{message}")
    row.data = data
    return row


def check_file(data, authority):
    """Read and check every row (read only): an imports.ImportCheck of RowResults. A row naming a place
    (name and address) the authority already lists updates it, with a warning; the same place twice in
    the file is an error. Raises imports.ImportFileError for a file that cannot be read."""
    table = imports.read_table(data, COLUMNS, max_rows=MAX_ROWS)
    rows = [clean_row(line, texts) for line, texts in table.rows]
    existing = set(Venue.objects.filter(authority=authority).values_list("name", "address"))
    first_line = {}
    for row in rows:
        key = (row.data["name"], row.data["address"])
        if key in first_line:
            row.errors.append(_("與第 %(line)s 列是同一個場所（名稱與地址相同）。") % {"line": first_line[key]})
        first_line.setdefault(key, row.line)
        if key in existing:
            row.warnings.append(_("清單中已有這個場所，匯入時會更新它的資料。"))
    return imports.ImportCheck(kind=KIND, unit=None, rows=rows, notices=table.notices, sha256=table.sha256)


def import_file(data, *, actor, authority, file_name="", request=None):
    """Check again and, when every row is right, write them all (new venues created, known ones updated) in
    one transaction with one audit entry: an imports.ImportOutcome (created: rows written, 0 if refused)."""
    _require_authority(actor, authority)
    with transaction.atomic():
        Authority.objects.select_for_update().filter(pk=authority.pk).first()  # one import of a list at a time
        check = check_file(data, authority)
        if not check.ok:
            return imports.ImportOutcome(check=check, created=0)
        known = {(venue.name, venue.address): venue
                 for venue in Venue.objects.select_for_update().filter(authority=authority)}
        now = timezone.now()
        new, changed = [], []
        for row in check.rows:
            values = {key: row.data.get(key) or _empty(key) for key in FIELDS}
            venue = known.get((values["name"], values["address"]))
            if venue is None:
                new.append(Venue(authority=authority, created_at=now, updated_at=now, **values))
                continue
            for key, value in values.items():
                setattr(venue, key, value)
            venue.updated_at = now
            changed.append(venue)
        Venue.objects.bulk_create(new)
        Venue.objects.bulk_update(changed, [*FIELDS, "updated_at"])
        audit.record("honorcard.venue.imported", actor=actor, changes={
            "authority": authority.name, "created": len(new), "updated": len(changed), "file_name": file_name[:200],
            "sha256": check.sha256}, request=request)
    return imports.ImportOutcome(check=check, created=len(check.rows))


def bad_lines(check):
    """The row numbers of the rows that stop the import, for the message above the preview."""
    return [row.line for row in check.rows if row.errors]


def build_template(file_format=spreadsheets.XLSX):
    """The import template as xlsx or ods bytes: the data sheet with its prompts and lists, and 填寫說明."""
    Cell = spreadsheets.Cell
    lists = {"city": CITIES, "category": tuple(category_words().values())}
    columns = [spreadsheets.Column(column.title, width=column.width, text=True, choices=lists.get(column.key, ()),
                                   strict=column.key in lists,
                                   error=_("請從清單選擇。") if column.key in lists else "",
                                   prompt=str(_prompt(column))[:255])
               for column in COLUMNS]
    sheet_name = _("榮譽卡優惠場所")
    rules = [
        _("1. 請在「%(sheet)s」工作表由第 2 列起填寫，每列一個場所，不要修改或刪除第 1 列的標題。")
        % {"sheet": sheet_name},
        _("2. 日期請用民國年，例如 115/01/01；優惠期間迄日空白表示沒有期限。"),
        _("3. 不要使用公式；從別處複製時，請用「選擇性貼上 → 值」。含公式的檔案不會匯入。"),
        _("4. 名稱與地址都與清單中既有場所相同的列，會更新該場所的資料；其餘新增。"),
        _("5. 上傳後會先顯示預覽，列出每一列的問題；全部正確才能確認匯入，且整份檔案一次匯入。"),
    ]
    notes = [[Cell(_("榮譽卡優惠場所匯入範本：填寫說明"), bold=True, size=14)], [],
             *(["", Cell(rule, wrap=True)] for rule in rules), [],
             [Cell(_("欄位"), bold=True), Cell(_("說明"), bold=True)],
             *([column.title, str(_prompt(column))] for column in COLUMNS), [],
             [Cell(_("範例（請勿填在本工作表）"), bold=True)],
             [Cell(column.title, bold=True) for column in COLUMNS], [column.example for column in COLUMNS]]
    data = spreadsheets.Sheet(sheet_name, rows=(), columns=columns, prepared_rows=500, header_style="banner")
    with spreadsheets.write_book([data, spreadsheets.Sheet(_("填寫說明"), rows=notes, widths=(22, 70))],
                                 file_format) as handle:
        return handle.read()


def _prompt(column):
    if column.required:
        return _("%(help)s（必填）") % {"help": column.help}
    return _("%(help)s（可空白）") % {"help": column.help}

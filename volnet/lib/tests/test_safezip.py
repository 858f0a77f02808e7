"""safezip.check_member: one member of a zip on disk checked as a stream, the way a later .ods import
(its content.xml) will use it: real size counted, DTDs refused, limits applied, elements watched."""

import zipfile

import pytest

from volnet.lib import safezip
from volnet.records.tests import hostile_files as hf

LIMITS = safezip.Limits(members=10, member_bytes=hf.MIB, total_bytes=2 * hf.MIB)
CONTENT = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
           'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:spreadsheet>'
           '<table:table table:name="服務時數"><table:table-row><table:table-cell/></table:table-row></table:table>'
           "</office:spreadsheet></office:body></office:document-content>")


def ods(path, content, extra=()):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        for name, text in extra:
            archive.writestr(name, text)
    return path


class Rows:
    """A watcher as an .ods import would write one: here it only counts table rows."""

    def __init__(self):
        self.rows = 0

    def start(self, name, attributes):
        if name.endswith(" table-row"):
            self.rows += 1


def test_it_returns_the_real_size_and_shows_every_element_to_the_watcher(tmp_path):
    watcher = Rows()
    size = safezip.check_member(ods(tmp_path / "a.ods", CONTENT), "content.xml", LIMITS, watcher)
    assert size == len(CONTENT.encode()) and watcher.rows == 1


def test_it_refuses_a_dtd(tmp_path):
    content = CONTENT.replace("?>", '?><!DOCTYPE x [<!ENTITY a "aaaa">]>', 1)
    with pytest.raises(safezip.Refused) as refused:
        safezip.check_member(ods(tmp_path / "a.ods", content), "content.xml", LIMITS)
    assert refused.value.code == "xml_dtd"
    assert "DTD" in safezip.message(refused.value)


def test_it_refuses_a_member_inflating_past_the_limit_while_it_inflates(tmp_path):
    path = tmp_path / "bomb.ods"
    path.write_bytes(hf.raw_zip([hf.Member("content.xml", stored=hf.zeros_deflated(64), size=1000,
                                           crc=hf.zeros_crc(1000))]))
    with pytest.raises(safezip.Refused) as refused:
        safezip.check_member(path, "content.xml", LIMITS)
    assert refused.value.code in {"size_mismatch", "too_large"}


def test_it_refuses_too_many_members_from_the_end_record(tmp_path):
    path = ods(tmp_path / "many.ods", CONTENT, [(f"p{n}.xml", "<a/>") for n in range(10)])
    with pytest.raises(safezip.Refused) as refused:
        safezip.check_member(path, "content.xml", LIMITS)
    assert refused.value.code == "too_many_members"
    assert "12" in safezip.message(refused.value) and "10" in safezip.message(refused.value)


def test_a_missing_member_is_a_damaged_file(tmp_path):
    with pytest.raises(safezip.Refused) as refused:
        safezip.check_member(ods(tmp_path / "a.ods", CONTENT), "styles.xml", LIMITS)
    assert refused.value.code == "corrupt"


@pytest.mark.parametrize("number, letters", [(1, "A"), (26, "Z"), (27, "AA"), (702, "ZZ"), (16384, "XFD")])
def test_column_letters_and_numbers_agree(number, letters):
    assert safezip.column_letters(number) == letters and safezip.column_number(letters) == number

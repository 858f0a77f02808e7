"""One domain error type (volnet.errors.DomainError): every app refuses with it, and a form shows any of
them in the right place."""

import pytest
from django import forms

from volnet.accounts.profile import ProfileError
from volnet.accounts.services import AccountError
from volnet.accounts.twofactor import TwoFactorError
from volnet.albums.services import PhotoError
from volnet.eligibility.certificates import CertificateError
from volnet.errors import DomainError
from volnet.forms import AccessibleFormMixin
from volnet.honorcard.services import HonorCardError
from volnet.people.services import PeopleError
from volnet.records.books import BookError
from volnet.records.imports import ImportFileError
from volnet.records.services import RecordError
from volnet.recruitment.services import RecruitmentError


class LeaveForm(AccessibleFormMixin, forms.Form):
    left_on = forms.CharField(label="離隊日期")
    note = forms.CharField(label="備註", required=False)


def test_a_refusal_about_a_field_of_the_form_is_shown_next_to_it():
    form = LeaveForm({"left_on": "114/01/01"})
    assert form.is_valid()
    form.add_domain_error(PeopleError("before_joined", "離隊日期不可早於加入日期 113/02/01。", field="left_on"))
    assert form.errors == {"left_on": ["離隊日期不可早於加入日期 113/02/01。"]}
    assert form.fields["left_on"].widget.attrs["aria-invalid"] == "true"
    assert "離隊日期不可早於加入日期 113/02/01。" in str(form["left_on"].errors)


def test_a_refusal_about_a_field_the_form_lacks_or_about_nothing_is_shown_at_the_top():
    form = LeaveForm({"left_on": "114/01/01"})
    form.is_valid()
    form.add_domain_error(HonorCardError("not_member", "此志工不是本單位的服務中志工，無法由本單位申請。"))
    form.add_domain_error(DomainError("bad_id", "身分證號碼有誤。", field="national_id"))
    assert form.non_field_errors() == ["此志工不是本單位的服務中志工，無法由本單位申請。", "身分證號碼有誤。"]
    assert "aria-invalid" not in form.fields["left_on"].widget.attrs


def test_a_batch_refusal_brings_its_whole_form_problems():
    form = LeaveForm({"left_on": "114/01/01"})
    form.is_valid()
    form.add_domain_error(RecordError("invalid", "請修正標示的欄位。", errors={None: {"left_on": "日期有誤。"}}))
    assert form.errors == {"left_on": ["日期有誤。"]}


@pytest.mark.parametrize("error_type", [
    AccountError, TwoFactorError, PhotoError, CertificateError, HonorCardError, PeopleError, ProfileError, BookError,
    RecordError, RecruitmentError,
])
def test_every_app_refuses_with_a_domain_error_that_a_caller_may_catch_as_one(error_type):
    with pytest.raises(DomainError) as caught:
        raise error_type("some_code", "原因")
    assert (caught.value.code, caught.value.message, str(caught.value)) == ("some_code", "原因", "原因")


def test_a_file_that_cannot_be_imported_is_a_domain_error_with_its_message_first():
    error = ImportFileError("檔案是空的（0 位元組）。", code="empty_file")
    assert isinstance(error, DomainError) and (error.code, error.message) == ("empty_file", "檔案是空的（0 位元組）。")


def test_an_account_refusal_carries_the_account_it_found():
    assert AccountError("unverified", "請先驗證電子信箱。", user="someone").params == {"user": "someone"}

"""Whatever is typed into the public account forms, the answer is a page in Chinese, never a 500."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FORMS = {
    "/accounts/login/": ["national_id", "password", "captcha", "captcha_key", "next"],
    "/accounts/password/forgot/": ["national_id", "birth_date", "captcha", "captcha_key"],
    "/accounts/sign-up/": ["national_id", "name", "birth_date", "email", "phone", "password1", "password2", "captcha",
                           "captcha_key"],
    "/accounts/staff/login/": ["national_id", "password", "captcha", "captcha_key", "next"],
}

odd_text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "So", "Lo", "Mn"]), max_size=40),
    st.sampled_from(["", " ", "A" * 10_000, "９" * 300, "../../etc/passwd", "<script>alert(1)</script>",
                     "' OR 1=1 --", "\u202eE122333441", "E122333441\u0000", "114/13/45", "𠀀𠀁𠀂"]),
)


@pytest.mark.parametrize("path", list(FORMS))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_input_gets_a_chinese_page(path, db, volunteer, data):
    client = Client(REMOTE_ADDR="198.51.100.7")
    fields = {name: data.draw(odd_text, label=name) for name in FORMS[path]}
    response = client.post(path, fields)
    assert response.status_code in (200, 302, 429)
    if response.status_code != 302:
        html = response.content.decode()
        assert 'lang="zh-Hant-TW"' in html and "captcha_key" in html

"""The public verification page refuses bad input kindly and stops a guesser."""

import pytest
from django.urls import reverse

from volnet.documents import codes

pytestmark = pytest.mark.django_db


def test_a_code_of_the_wrong_shape_is_explained_beside_the_field_and_kept(client):
    response = client.get(reverse("documents:lookup"), {"code": "ABC-123"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "驗證碼是 20 碼英文字母與數字" in html and 'value="ABC-123"' in html and 'aria-invalid="true"' in html


def test_an_unknown_code_is_a_404_that_says_so(client):
    response = client.get(reverse("documents:verify", args=[codes.display(codes.new_code())]))
    assert response.status_code == 404 and "查無此驗證碼" in response.content.decode()


@pytest.mark.parametrize("code", ["%00", "a" * 300, "<script>", "..%2F..%2F"])
def test_hostile_codes_never_fail(client, code):
    assert client.get(f"/verify/{code}/").status_code in (400, 404)


def test_a_guesser_is_stopped_after_ten_unknown_codes_before_any_code_is_looked_at(client, bear_client, bear):
    from volnet.documents.models import Document
    from volnet.documents.tests.pdfs import download_book

    download_book(bear_client)
    real = Document.objects.get(person=bear).display_code
    for _ in range(10):
        assert client.get(reverse("documents:verify", args=[codes.display(codes.new_code())])).status_code == 404
    refused = client.get(reverse("documents:verify", args=[real]))
    assert refused.status_code == 429 and "嘗試次數過多" in refused.content.decode()
    assert "測○熊" not in refused.content.decode()  # nothing of the document

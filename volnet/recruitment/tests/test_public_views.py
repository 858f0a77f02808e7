"""The public pages: anyone browses and filters; signed-in people apply and withdraw."""

from django.urls import reverse

from volnet.recruitment.models import Application


def test_anonymous_visitors_browse_published_postings(client, posting_factory):
    posting_factory(title="圖書推車服務志工", place="臺中市北區", service_item="綜合服務")
    posting_factory(title="祕密招募", is_published=False)
    response = client.get(reverse("recruitment:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "圖書推車服務志工" in html and "臺中市北區" in html
    assert "祕密招募" not in html
    assert "招募 5 人，尚餘" in html


def test_the_list_filters_by_area_text_and_service_item(client, posting_factory):
    posting_factory(title="西屯電話問安", place="臺中市西屯區", service_item="老人服務")
    posting_factory(title="北區圖書推車", place="臺中市北區", service_item="綜合服務")
    html = client.get(reverse("recruitment:list"), {"q": "西屯"}).content.decode()
    assert "西屯電話問安" in html and "北區圖書推車" not in html
    html = client.get(reverse("recruitment:list"), {"item": "綜合服務"}).content.decode()
    assert "北區圖書推車" in html and "西屯電話問安" not in html
    html = client.get(reverse("recruitment:list"), {"q": "南投"}).content.decode()
    assert "沒有符合條件的招募" in html


def test_the_list_pages_and_keeps_the_filter_in_page_links(client, posting_factory):
    for i in range(12):
        posting_factory(title=f"招募{i:02d}", place="臺中市西屯區")
    response = client.get(reverse("recruitment:list"), {"q": "西屯"})
    assert len(response.context["page"].object_list) == 10
    assert "?q=%E8%A5%BF%E5%B1%AF&amp;page=2" in response.content.decode()
    second = client.get(reverse("recruitment:list"), {"q": "西屯", "page": 2})
    assert len(second.context["page"].object_list) == 2
    assert client.get(reverse("recruitment:list"), {"page": "abc"}).status_code == 200


def test_a_bad_filter_value_is_ignored_not_an_error(client, posting):
    response = client.get(reverse("recruitment:list"), {"item": "不存在的項目"})
    assert response.status_code == 200


def test_the_list_runs_a_fixed_number_of_queries(client, posting_factory, django_assert_max_num_queries):
    for i in range(10):
        posting_factory(title=f"招募{i}")
    with django_assert_max_num_queries(4):
        client.get(reverse("recruitment:list"))


def test_anonymous_visitors_read_a_posting_and_are_asked_to_sign_in(client, posting):
    html = client.get(reverse("recruitment:detail", args=[posting.pk])).content.decode()
    assert posting.title in html and "完成基礎訓練" in html
    assert "登入後應徵" in html and f"/accounts/login/?next=/recruitment/{posting.pk}/" in html


def test_an_unpublished_posting_is_a_404_for_the_public_and_a_preview_for_its_staff(client, posting_factory,
                                                                                    supervisor_a, supervisor_b):
    hidden = posting_factory(is_published=False)
    url = reverse("recruitment:detail", args=[hidden.pk])
    assert client.get(url).status_code == 404
    client.force_login(supervisor_b)
    assert client.get(url).status_code == 404
    client.force_login(supervisor_a)
    response = client.get(url)
    assert response.status_code == 200 and "未公開" in response.content.decode()


def test_anonymous_apply_goes_to_sign_in(client, posting):
    response = client.post(reverse("recruitment:apply", args=[posting.pk]), {"message": "hi"})
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert not Application.objects.exists()


def test_a_signed_in_volunteer_applies_and_sees_the_status(client, posting, newcomer):
    client.force_login(newcomer)
    response = client.post(reverse("recruitment:apply", args=[posting.pk]), {"message": "每週三下午"}, follow=True)
    html = response.content.decode()
    assert "已送出應徵" in html and "審核中" in html and "撤回應徵" in html
    assert Application.objects.get().message == "每週三下午"


def test_applying_twice_shows_a_clear_message(client, posting, newcomer):
    client.force_login(newcomer)
    client.post(reverse("recruitment:apply", args=[posting.pk]))
    Application.objects.update(status=Application.Status.DECLINED)
    response = client.post(reverse("recruitment:apply", args=[posting.pk]), {"message": "再一次"})
    assert response.status_code == 400
    assert "無法再次應徵同一則招募" in response.content.decode()


def test_a_full_posting_says_so_and_refuses(client, posting_factory, newcomer, volunteer, supervisor_a):
    from volnet.recruitment import services

    posting = posting_factory(quota=1)
    services.accept(services.apply(posting, volunteer), supervisor_a)
    client.force_login(newcomer)
    assert "名額已滿" in client.get(reverse("recruitment:detail", args=[posting.pk])).content.decode()
    response = client.post(reverse("recruitment:apply", args=[posting.pk]), {"message": "拜託"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "名額已滿" in html


def test_a_message_too_long_keeps_what_was_typed(client, posting, newcomer):
    client.force_login(newcomer)
    response = client.post(reverse("recruitment:apply", args=[posting.pk]), {"message": "長" * 301})
    assert response.status_code == 400
    html = response.content.decode()
    assert "長" * 301 in html and "請修正以下問題" in html
    assert not Application.objects.exists()


def test_withdrawing_and_applying_again(client, posting, newcomer):
    client.force_login(newcomer)
    client.post(reverse("recruitment:apply", args=[posting.pk]))
    response = client.post(reverse("recruitment:withdraw", args=[posting.pk]), follow=True)
    assert "已撤回應徵" in response.content.decode()
    assert Application.objects.get().status == Application.Status.WITHDRAWN
    assert "您先前撤回了應徵" in response.content.decode()
    client.post(reverse("recruitment:apply", args=[posting.pk]))
    assert Application.objects.get().status == Application.Status.PENDING


def test_withdrawing_without_an_application_is_a_404(client, posting, newcomer):
    client.force_login(newcomer)
    assert client.post(reverse("recruitment:withdraw", args=[posting.pk])).status_code == 404
    assert client.get(reverse("recruitment:withdraw", args=[posting.pk])).status_code == 405

"""Album pages: members see thumbnails and photos through guarded views; staff create, upload, caption, delete."""

from django.urls import reverse
from PIL import Image

from volnet.albums import services
from volnet.albums.models import Album, Photo
from volnet.albums.tests.conftest import jpeg_with_exif, png_bytes, upload
from volnet.audit.models import AuditEntry


def test_a_member_sees_the_albums_of_their_unit(client, volunteer, album, photo):
    client.force_login(volunteer)
    response = client.get(reverse("albums:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "115年度志工特殊訓練" in html and "1 張相片" in html
    assert reverse("albums:thumb", args=[photo.pk]) in html
    assert 'aria-current="page">電子相簿' in html


def test_the_album_page_shows_thumbnails_with_captions_as_alt_text(client, volunteer, album, photo, supervisor_a):
    services.add_photos(album, [upload("b.jpg", jpeg_with_exif())], actor=supervisor_a)
    client.force_login(volunteer)
    html = client.get(reverse("albums:detail", args=[album.pk])).content.decode()
    assert 'alt="結業合影"' in html
    assert 'alt="115年度志工特殊訓練 第 2 張相片"' in html
    assert "/private" not in html and "/media/" not in html


def test_the_photo_page_offers_previous_and_next(client, volunteer, album, photo, supervisor_a):
    second = services.add_photos(album, [upload("b.jpg", jpeg_with_exif())], actor=supervisor_a)[0][0]
    client.force_login(volunteer)
    html = client.get(reverse("albums:photo", args=[photo.pk])).content.decode()
    assert "第 1 張，共 2 張" in html and f'href="{reverse("albums:photo", args=[second.pk])}" rel="next"' in html
    assert 'width="1200" height="900"' in html and "<figcaption>結業合影</figcaption>" in html
    html = client.get(reverse("albums:photo", args=[second.pk])).content.decode()
    assert 'rel="prev"' in html and 'rel="next"' not in html


def test_members_get_the_image_bytes_privately(client, volunteer, photo):
    client.force_login(volunteer)
    response = client.get(reverse("albums:image", args=[photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    data = b"".join(response.streaming_content)
    assert data[:2] == b"\xff\xd8" and b"PhoneCam" not in data
    thumb = client.get(reverse("albums:thumb", args=[photo.pk]))
    assert thumb.status_code == 200 and b"".join(thumb.streaming_content)[:2] == b"\xff\xd8"


def test_a_non_member_gets_404_everywhere(client, other_volunteer, supervisor_b, album, photo):
    urls = [reverse("albums:detail", args=[album.pk]), reverse("albums:photo", args=[photo.pk]),
            reverse("albums:image", args=[photo.pk]), reverse("albums:thumb", args=[photo.pk])]
    for person in (other_volunteer, supervisor_b):
        client.force_login(person)
        for url in urls:
            assert client.get(url).status_code == 404, url
        assert "115年度志工特殊訓練" not in client.get(reverse("albums:list")).content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, album, photo):
    for url in [reverse("albums:list"), reverse("albums:image", args=[photo.pk])]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_volunteer_without_albums_sees_a_friendly_empty_page(client, other_volunteer, album):
    client.force_login(other_volunteer)
    assert "目前沒有相簿" in client.get(reverse("albums:list")).content.decode()


def test_the_volunteer_pages_run_a_fixed_number_of_queries(client, volunteer, album, supervisor_a,
                                                           django_assert_max_num_queries):
    services.add_photos(album, [upload(f"{i}.jpg", jpeg_with_exif(size=(40, 30))) for i in range(6)],
                        actor=supervisor_a)
    for i in range(4):
        Album.objects.create(unit=album.unit, title=f"相簿{i}")
    client.force_login(volunteer)
    with django_assert_max_num_queries(8):
        client.get(reverse("albums:list"))
    with django_assert_max_num_queries(10):
        client.get(reverse("albums:detail", args=[album.pk]))


# ---------------------------------------------------------------------------------------------- staff


def test_staff_create_an_album_with_an_roc_date(client, supervisor_a, unit_a):
    client.force_login(supervisor_a)
    response = client.post(reverse("albums:manage_new"),
                           {"unit": unit_a.pk, "title": "中秋關懷", "taken_on": "115/10/04", "description": "送月餅"})
    album = Album.objects.get()
    assert response.url == reverse("albums:manage_album", args=[album.pk])
    assert str(album.taken_on) == "2026-10-04" and album.created_by == supervisor_a
    assert AuditEntry.objects.filter(action="albums.album.created", unit=unit_a).exists()


def test_a_bad_album_form_keeps_the_input(client, supervisor_a, unit_a):
    client.force_login(supervisor_a)
    response = client.post(reverse("albums:manage_new"), {"unit": unit_a.pk, "title": "", "taken_on": "115/02/30"})
    html = response.content.decode()
    assert response.status_code == 400 and "不存在" in html and 'value="115/02/30"' in html
    assert not Album.objects.exists()


def test_staff_upload_several_photos_at_once(client, supervisor_a, album):
    client.force_login(supervisor_a)
    response = client.post(reverse("albums:upload", args=[album.pk]), {
        "photos": [upload("a.jpg", jpeg_with_exif()), upload("b.png", png_bytes(), "image/png")], "caption": "開場",
    }, follow=True)
    assert "已上傳 2 張相片" in response.content.decode()
    assert list(album.photos.values_list("caption", flat=True)) == ["開場", "開場"]


def test_an_upload_of_only_bad_files_shows_why_and_saves_nothing(client, supervisor_a, album):
    client.force_login(supervisor_a)
    response = client.post(reverse("albums:upload", args=[album.pk]), {
        "photos": [upload("list.xlsx", b"PK\x03\x04junk", "application/vnd.ms-excel")],
    })
    assert response.status_code == 400
    assert "「list.xlsx」不是可以開啟的圖片檔" in response.content.decode()
    assert not Photo.objects.exists()
    response = client.post(reverse("albums:upload", args=[album.pk]), {})
    assert response.status_code == 400 and "請選擇要上傳的相片" in response.content.decode()


def test_a_mixed_upload_saves_the_good_and_names_the_refused(client, supervisor_a, album):
    client.force_login(supervisor_a)
    response = client.post(reverse("albums:upload", args=[album.pk]), {
        "photos": [upload("a.jpg", jpeg_with_exif()), upload("b.gif", b"GIF89a", "image/gif")],
    }, follow=True)
    html = response.content.decode()
    assert "已上傳 1 張相片" in html and "未上傳：「b.gif」" in html


def test_too_many_files_at_once_are_refused(client, supervisor_a, album):
    client.force_login(supervisor_a)
    tiny = jpeg_with_exif(size=(8, 8))
    response = client.post(reverse("albums:upload", args=[album.pk]),
                           {"photos": [upload(f"{i}.jpg", tiny) for i in range(services.MAX_FILES + 1)]})
    assert response.status_code == 400 and "一次最多上傳 20 張相片" in response.content.decode()


def test_staff_edit_a_caption_and_delete_a_photo(client, supervisor_a, photo):
    client.force_login(supervisor_a)
    client.post(reverse("albums:caption", args=[photo.pk]), {"caption": "全體合影"})
    photo.refresh_from_db()
    assert photo.caption == "全體合影"
    client.post(reverse("albums:photo_delete", args=[photo.pk]))
    assert not Photo.objects.exists()


def test_staff_delete_an_album_after_confirming(client, supervisor_a, album, photo):
    client.force_login(supervisor_a)
    assert "1 張相片都會刪除" in client.get(reverse("albums:manage_delete", args=[album.pk])).content.decode()
    response = client.post(reverse("albums:manage_delete", args=[album.pk]))
    assert response.url == reverse("albums:manage") and not Album.objects.exists()


def test_staff_of_another_unit_get_404_on_every_album_page(client, supervisor_b, album, photo):
    client.force_login(supervisor_b)
    assert "115年度志工特殊訓練" not in client.get(reverse("albums:manage")).content.decode()
    for url in [reverse("albums:manage_album", args=[album.pk]), reverse("albums:manage_edit", args=[album.pk]),
                reverse("albums:manage_delete", args=[album.pk])]:
        assert client.get(url).status_code == 404, url
    for url in [reverse("albums:upload", args=[album.pk]), reverse("albums:caption", args=[photo.pk]),
                reverse("albums:photo_delete", args=[photo.pk]), reverse("albums:manage_delete", args=[album.pk])]:
        assert client.post(url, {"caption": "x"}).status_code == 404, url
    assert Photo.objects.filter(caption="結業合影").exists()


def test_volunteers_cannot_reach_the_staff_pages(client, volunteer, album):
    client.force_login(volunteer)
    for url in [reverse("albums:manage"), reverse("albums:manage_new"),
                reverse("albums:manage_album", args=[album.pk])]:
        assert client.get(url).status_code == 403


def test_the_staff_album_page_lists_photos_with_labelled_caption_fields(client, supervisor_a, photo):
    client.force_login(supervisor_a)
    html = client.get(reverse("albums:manage_album", args=[photo.album_id])).content.decode()
    assert f'<label for="caption-{photo.pk}">第 1 張相片說明</label>' in html
    assert 'enctype="multipart/form-data"' in html and 'accept="image/jpeg,image/png"' in html


def test_image_bytes_are_a_real_image(client, volunteer, photo):
    import io

    client.force_login(volunteer)
    data = b"".join(client.get(reverse("albums:image", args=[photo.pk])).streaming_content)
    assert Image.open(io.BytesIO(data)).size == (1200, 900)


def test_the_staff_list_follows_the_unit_switcher(client, supervisor_a, album, unit_a, authority):
    from volnet.units.models import Unit

    team = Unit.objects.create(code="2-300", name="樂樂第二隊", authority=authority, parent=unit_a)
    Album.objects.create(unit=team, title="第二隊相簿")
    client.force_login(supervisor_a)
    html = client.get(reverse("albums:manage"), {"unit": team.pk}).content.decode()
    assert "第二隊相簿" in html and "115年度志工特殊訓練" not in html
    assert client.get(reverse("albums:manage"), {"unit": 9999}).status_code == 404

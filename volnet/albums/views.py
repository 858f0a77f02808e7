"""電子相簿: the volunteer's albums (portal/layout.html) and the units' album pages (backoffice/layout.html).

Pictures are never at a public URL: `image` and `thumb` stream them after `services.can_view`.
"""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Subquery
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from volnet.albums import services
from volnet.albums.forms import AlbumForm, CaptionForm, UploadForm
from volnet.albums.models import Album, Photo
from volnet.paging import paginate
from volnet.staffweb import current_unit, remembered_unit, staff_required
from volnet.units import access
from volnet.uploads import accepts_uploads

ALBUMS_PER_PAGE = 12
PHOTOS_PER_PAGE = 48


def _with_cover(albums):
    first = Photo.objects.filter(album=OuterRef("pk")).order_by("uploaded_at", "id").values("pk")[:1]
    return albums.select_related("unit").annotate(photo_count=Count("photos"), cover_id=Subquery(first))


def _numbered(photos, start):
    for offset, photo in enumerate(photos):
        photo.number = start + offset
    return photos


# ----------------------------------------------------------------------------------------- volunteers


@login_required
def album_list(request):
    albums = _with_cover(services.visible_albums(request.user)).order_by("-taken_on", "-created_at", "-id")
    page = paginate(request, albums, ALBUMS_PER_PAGE)
    return render(request, "albums/list.html", {"menu": "albums", "page": page})


def _viewable_album(request, pk):
    album = get_object_or_404(Album.objects.select_related("unit"), pk=pk)
    if not services.can_view(request.user, album):
        raise Http404(_("找不到這本相簿。"))  # not 403: whether it exists is none of a non-member's business
    return album


@login_required
def album_detail(request, pk):
    album = _viewable_album(request, pk)
    page = paginate(request, album.photos.all(), PHOTOS_PER_PAGE)
    _numbered(page.object_list, page.start_index())
    return render(request, "albums/detail.html", {"menu": "albums", "album": album, "page": page})


def _viewable_photo(request, pk):
    photo = get_object_or_404(Photo.objects.select_related("album__unit"), pk=pk)
    if not services.can_view(request.user, photo.album):
        raise Http404(_("找不到這張相片。"))
    return photo


@login_required
def photo_detail(request, pk):
    photo = _viewable_photo(request, pk)
    ids = list(photo.album.photos.values_list("pk", flat=True))
    index = ids.index(photo.pk)
    return render(request, "albums/photo.html", {
        "menu": "albums",
        "album": photo.album,
        "photo": photo,
        "number": index + 1,
        "total": len(ids),
        "previous_id": ids[index - 1] if index > 0 else None,
        "next_id": ids[index + 1] if index + 1 < len(ids) else None,
        "album_page": index // PHOTOS_PER_PAGE + 1,
    })


def _stream(file):
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404(_("找不到相片檔案。")) from None
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    return FileResponse(handle, content_type=content_type)


@login_required
@cache_control(private=True, max_age=3600)
def photo_image(request, pk):
    return _stream(_viewable_photo(request, pk).image)


@login_required
@cache_control(private=True, max_age=3600)
def photo_thumb(request, pk):
    photo = _viewable_photo(request, pk)
    try:
        services.ensure_thumbnail(photo)
    except (OSError, ValueError):
        raise Http404(_("找不到相片檔案。")) from None
    return _stream(photo.thumbnail)


# ------------------------------------------------------------------------------------------ staff pages


def _staff(request, template, context, status=200):
    return render(request, template, {"menu": "albums", **context}, status=status)


def _managed_album(request, pk):
    return get_object_or_404(services.managed_albums(request.user).select_related("unit"), pk=pk)


def _managed_photo(request, pk):
    return get_object_or_404(
        Photo.objects.filter(album__in=services.managed_albums(request.user)).select_related("album__unit"), pk=pk
    )


@staff_required
def manage(request):
    """The albums of the unit chosen in the back office's unit switcher (volnet.staffweb)."""
    unit = current_unit(request)
    albums = _with_cover(services.managed_albums(request.user).filter(unit=unit)).order_by(
        "-taken_on", "-created_at", "-id"
    )
    page = paginate(request, albums, 20)
    return _staff(request, "albums/manage/list.html", {"page": page, "unit": unit, "can_create": unit.is_active})


@staff_required
def album_new(request):
    units = access.managed_units(request.user).filter(is_active=True)
    if not units.exists():
        raise Http404(_("沒有可建立相簿的單位。"))
    remembered = remembered_unit(request, units)
    form = AlbumForm(request.POST if request.method == "POST" else None, units=units, initial={"unit": remembered})
    if request.method == "POST" and form.is_valid():
        album = services.save_album(form, actor=request.user)
        messages.success(request, _("已建立相簿「%(title)s」，現在可以上傳相片。") % {"title": album.title})
        return redirect("albums:manage_album", pk=album.pk)
    return _staff(request, "albums/manage/form.html", {"form": form, "album": None},
                  status=400 if form.errors else 200)


@staff_required
def album_edit(request, pk):
    album = _managed_album(request, pk)
    form = AlbumForm(request.POST if request.method == "POST" else None, instance=album,
                     units=access.managed_units(request.user))
    if request.method == "POST" and form.is_valid():
        services.save_album(form, actor=request.user)
        messages.success(request, _("已儲存相簿資料。"))
        return redirect("albums:manage_album", pk=album.pk)
    return _staff(request, "albums/manage/form.html", {"form": form, "album": album},
                  status=400 if form.errors else 200)


def _manage_album_page(request, album, upload_form=None, status=200):
    page = paginate(request, album.photos.all(), PHOTOS_PER_PAGE)
    _numbered(page.object_list, page.start_index())
    return _staff(request, "albums/manage/album.html", {
        "album": album, "page": page, "upload_form": upload_form or UploadForm(),
    }, status=status)


@staff_required
def manage_album(request, pk):
    return _manage_album_page(request, _managed_album(request, pk))


@accepts_uploads(services.max_bytes, files=services.MAX_FILES)
@staff_required
@require_POST
def upload(request, pk):
    album = _managed_album(request, pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _manage_album_page(request, album, form, status=400)
    saved, refused = services.add_photos(album, form.cleaned_data["photos"], actor=request.user,
                                         caption=form.cleaned_data["caption"])
    if not saved:
        for error in refused:
            form.add_error("photos", error.message)
        return _manage_album_page(request, album, form, status=400)
    messages.success(request, ngettext("已上傳 %(count)d 張相片。", "已上傳 %(count)d 張相片。", len(saved))
                     % {"count": len(saved)})
    for error in refused:
        messages.error(request, _("未上傳：%(reason)s") % {"reason": error.message})
    return redirect("albums:manage_album", pk=album.pk)


@staff_required
@require_POST
def photo_caption(request, pk):
    photo = _managed_photo(request, pk)
    form = CaptionForm(request.POST)
    if form.is_valid():
        services.set_caption(photo, form.cleaned_data["caption"], actor=request.user)
        messages.success(request, _("已更新相片說明。"))
    else:
        messages.error(request, _("相片說明最多 200 字，請縮短後再儲存。"))
    return redirect(reverse("albums:manage_album", args=[photo.album_id]) + f"#photo-{photo.pk}")


@staff_required
@require_POST
def photo_delete(request, pk):
    photo = _managed_photo(request, pk)
    services.delete_photo(photo, actor=request.user)
    messages.success(request, _("已刪除相片。"))
    return redirect("albums:manage_album", pk=photo.album_id)


@staff_required
def album_delete(request, pk):
    album = _managed_album(request, pk)
    if request.method == "POST":
        services.delete_album(album, actor=request.user)
        messages.success(request, _("已刪除相簿「%(title)s」。") % {"title": album.title})
        return redirect("albums:manage")
    return _staff(request, "albums/manage/delete.html", {"album": album, "count": album.photos.count()})

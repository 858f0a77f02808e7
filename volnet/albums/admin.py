from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from volnet.albums.models import Album, Photo

# Photos have no public URL (albums.storage); the admin shows their stored names and never a file widget.
PHOTO_FIELDS = ["caption", "stored_image", "width", "height", "uploaded_at"]


def stored_image(photo):
    return photo.image.name


stored_image.short_description = _("儲存檔名")


class PhotoInline(admin.TabularInline):
    model = Photo
    extra = 0
    fields = PHOTO_FIELDS
    readonly_fields = ["stored_image", "width", "height", "uploaded_at"]
    stored_image = staticmethod(stored_image)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Album)
class AlbumAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "taken_on"]
    raw_id_fields = ["unit", "created_by"]
    inlines = [PhotoInline]


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["album", "caption", "uploaded_at"]
    fields = ["album", *PHOTO_FIELDS]
    readonly_fields = ["album", "stored_image", "width", "height", "uploaded_at"]
    stored_image = staticmethod(stored_image)

    def has_add_permission(self, request):
        return False

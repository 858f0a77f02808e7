from django.contrib import admin

from volnet.albums.models import Album, Photo


class PhotoInline(admin.TabularInline):
    model = Photo
    extra = 0


@admin.register(Album)
class AlbumAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "taken_on"]
    raw_id_fields = ["unit", "created_by"]
    inlines = [PhotoInline]


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["album", "caption", "uploaded_at"]

from django.urls import path

from volnet.albums import views

app_name = "albums"

urlpatterns = [
    # Volunteers: albums of the units they serve in. Pictures only through these views.
    path("", views.album_list, name="list"),
    path("<int:pk>/", views.album_detail, name="detail"),
    path("photos/<int:pk>/", views.photo_detail, name="photo"),
    path("photos/<int:pk>/image", views.photo_image, name="image"),
    path("photos/<int:pk>/thumb", views.photo_thumb, name="thumb"),
    # The units' pages (志工後台, menu 相簿管理).
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.album_new, name="manage_new"),
    path("manage/<int:pk>/", views.manage_album, name="manage_album"),
    path("manage/<int:pk>/edit/", views.album_edit, name="manage_edit"),
    path("manage/<int:pk>/upload/", views.upload, name="upload"),
    path("manage/<int:pk>/delete/", views.album_delete, name="manage_delete"),
    path("manage/photos/<int:pk>/caption/", views.photo_caption, name="caption"),
    path("manage/photos/<int:pk>/delete/", views.photo_delete, name="photo_delete"),
]

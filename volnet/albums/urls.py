from django.urls import path

from volnet.views import placeholder

app_name = "albums"

urlpatterns = [
    path("", placeholder, name="list"),
    path("manage/", placeholder, name="manage"),
]

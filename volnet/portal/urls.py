from django.urls import path

from volnet.views import placeholder

app_name = "portal"

urlpatterns = [
    path("", placeholder, name="home"),
    path("services/", placeholder, name="services"),
    path("honors/", placeholder, name="honors"),
    path("applications/", placeholder, name="applications"),
    path("profile/", placeholder, name="profile"),
]

from django.urls import path

from volnet.views import placeholder

app_name = "honorcard"

urlpatterns = [
    path("", placeholder, name="card"),
    path("applications/", placeholder, name="applications"),
]

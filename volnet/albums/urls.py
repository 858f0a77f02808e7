from django.urls import path

from volnet.albums import views

app_name = "albums"

urlpatterns = [
    path("", views.list, name="list"),
]

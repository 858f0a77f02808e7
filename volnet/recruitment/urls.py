from django.urls import path

from volnet.recruitment import views

app_name = "recruitment"

urlpatterns = [
    path("", views.list, name="list"),
]

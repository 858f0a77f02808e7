from django.urls import path

from volnet.honorcard import views

app_name = "honorcard"

urlpatterns = [
    path("", views.card, name="card"),
]

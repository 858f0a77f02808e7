from django.urls import path

from volnet.views import placeholder

urlpatterns = [
    path("", placeholder, name="books"),
]

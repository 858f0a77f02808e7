from django.urls import path

from volnet.views import placeholder

app_name = "recordbook"

urlpatterns = [
    path("", placeholder, name="query"),
]

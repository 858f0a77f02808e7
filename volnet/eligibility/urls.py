from django.urls import path

from volnet.views import placeholder

app_name = "eligibility"

urlpatterns = [
    path("", placeholder, name="query"),
]

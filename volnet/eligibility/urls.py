from django.urls import path

from volnet.eligibility import views

app_name = "eligibility"

urlpatterns = [
    path("", views.query, name="query"),
]

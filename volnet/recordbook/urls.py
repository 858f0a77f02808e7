from django.urls import path

from volnet.recordbook import views

app_name = "recordbook"

urlpatterns = [
    path("", views.query, name="query"),
]

from django.urls import path

from volnet.statistics import views

app_name = "statistics"

urlpatterns = [
    path("", views.index, name="index"),
    path("download.<str:file_format>", views.download, name="download"),
]

from django.urls import path

from volnet.recordbook import views

app_name = "recordbook"

urlpatterns = [
    path("", views.query, name="query"),
    path("download/", views.download, name="pdf"),
    path("print/", views.print_view, name="print"),
]

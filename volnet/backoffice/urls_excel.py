from django.urls import path

from volnet.backoffice import views_excel

urlpatterns = [
    path("", views_excel.excel_home, name="excel"),
    path("template/<str:kind>.xlsx", views_excel.excel_template, name="excel_template"),
    path("template/<str:kind>.<str:file_format>", views_excel.excel_template, name="excel_template_as"),
    path("upload/", views_excel.excel_upload, name="excel_upload"),
    path("imports/<str:token>/", views_excel.excel_preview, name="excel_preview"),
    path("imports/<str:token>/confirm/", views_excel.excel_confirm, name="excel_confirm"),
    path("imports/<str:token>/progress/", views_excel.excel_progress, name="excel_progress"),
    path("imports/<str:token>/cancel/", views_excel.excel_cancel, name="excel_cancel"),
    path("export/", views_excel.excel_export, name="excel_export"),
]

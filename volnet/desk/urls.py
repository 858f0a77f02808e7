from django.urls import path

from volnet.desk import views

app_name = "desk"

urlpatterns = [
    path("units/", views.units, name="units"),
    path("units/new/", views.unit_new, name="unit_new"),
    path("units/<int:pk>/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/status/", views.unit_status, name="unit_status"),
    path("staff/", views.staff, name="staff"),
    path("staff/<int:pk>/end/", views.staff_end, name="staff_end"),
]

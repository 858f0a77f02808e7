from django.urls import path

from volnet.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("services/", views.services_view, name="services"),
    path("services/<int:pk>/", views.service_detail, name="service_detail"),
    path("honors/", views.honors, name="honors"),
    path("applications/", views.applications, name="applications"),
    path("profile/", views.profile, name="profile"),
    path("profile/photo/", views.upload_photo, name="upload_photo"),
    path("profile/email/<str:token>/", views.verify_email, name="verify_email"),
    path("photo/", views.photo, name="photo"),
]

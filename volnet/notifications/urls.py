from django.urls import path

from volnet.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/", views.open_one, name="open"),
    path("read-all/", views.read_all, name="read_all"),
    path("mail/", views.mail_settings, name="mail"),
]

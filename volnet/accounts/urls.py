from django.contrib.auth import views as auth_views
from django.urls import path

from volnet.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change-required/", views.password_change_required, name="password_change_required"),
]

from django.contrib.auth import views as auth_views
from django.urls import path

from volnet.accounts import views
from volnet.views import placeholder

app_name = "accounts"

urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change-required/", views.password_change_required, name="password_change_required"),
    path("sign-ins/", placeholder, name="sign_in_events"),
    path("staff/login/", placeholder, name="staff_login"),
    path("staff/security/", placeholder, name="staff_security"),
]

from django.urls import path

from volnet.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("sign-ins/", views.sign_in_events, name="sign_in_events"),
    path("verification/resend/", views.resend_verification, name="resend_verification"),
    path("password/forgot/", views.forgot_password, name="forgot_password"),
    path("password/reset/<str:uidb64>/<str:token>/", views.reset, name="reset"),
    path("password/reset/", views.reset_password, name="reset_password"),
    path("password/change-required/", views.password_change_required, name="password_change_required"),
    path("password/change/", views.password_change, name="password_change"),
    path("sign-up/", views.sign_up, name="sign_up"),
    path("sign-up/verify/<str:token>/", views.verify_email, name="verify_email"),
    path("captcha/new/", views.captcha_refresh, name="captcha_refresh"),
    path("captcha/<str:key>/image.png", views.captcha_image, name="captcha_image"),
    path("captcha/<str:key>/audio.wav", views.captcha_audio, name="captcha_audio"),
    path("staff/login/", views.staff_login, name="staff_login"),
    path("staff/login/code/", views.staff_second_factor, name="staff_second_factor"),
    path("staff/security/", views.staff_security, name="staff_security"),
]

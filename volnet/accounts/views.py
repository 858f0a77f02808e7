from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

login = auth_views.LoginView.as_view(template_name="accounts/login.html")


@login_required
def password_change_required(request):
    return render(request, "accounts/login.html")

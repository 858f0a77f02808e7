"""The person's answer to a staff invitation, posted from 我的檔案 (under /me/, a volunteer's address)."""

from django.urls import path

from volnet.desk import views

app_name = "desk_portal"

urlpatterns = [
    path("<int:pk>/answer/", views.invitation_answer, name="invitation_answer"),
]

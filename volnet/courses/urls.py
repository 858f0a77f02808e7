from django.urls import path

from volnet.courses import views, views_manage

app_name = "courses"

urlpatterns = [
    # Anyone may browse; signed-in volunteers enrol and cancel.
    path("", views.course_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/enrol/", views.enrol, name="enrol"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("sessions/<int:pk>.ics", views.session_calendar, name="ics"),
    path("certificates/<int:pk>.pdf", views_manage.certificate, name="certificate"),
    # The organisers' pages (志工後台, menu 教育訓練課程).
    path("manage/", views_manage.manage, name="manage"),
    path("manage/new/", views_manage.course_new, name="manage_new"),
    path("manage/<int:pk>/", views_manage.manage_detail, name="manage_detail"),
    path("manage/<int:pk>/edit/", views_manage.course_edit, name="manage_edit"),
    path("manage/<int:pk>/cancel/", views_manage.course_cancel, name="manage_cancel"),
    path("manage/<int:pk>/complete/", views_manage.complete, name="manage_complete"),
    path("manage/sessions/<int:pk>/roll/", views_manage.roll, name="manage_roll"),
]

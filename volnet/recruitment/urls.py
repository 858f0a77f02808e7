from django.urls import path

from volnet.recruitment import views

app_name = "recruitment"

urlpatterns = [
    # Anyone may browse; signed-in people apply and withdraw.
    path("", views.posting_list, name="list"),
    path("<int:pk>/", views.posting_detail, name="detail"),
    path("<int:pk>/apply/", views.apply, name="apply"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    # The units' pages (志工後台, menu 招募管理).
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.posting_new, name="manage_new"),
    path("manage/<int:pk>/", views.manage_detail, name="manage_detail"),
    path("manage/<int:pk>/edit/", views.posting_edit, name="manage_edit"),
    path("manage/applications/<int:pk>/accept/", views.accept, name="accept"),
    path("manage/applications/<int:pk>/decline/", views.decline, name="decline"),
]

"""紀錄冊申請 (mounted at /backoffice/record-books/ inside the backoffice namespace)."""

from django.urls import path

from volnet.backoffice import views_books as views

urlpatterns = [
    path("", views.application_list, name="books"),
    path("apply/", views.apply_search, name="books_apply"),
    path("apply/<int:volunteer_pk>/", views.apply_for, name="books_apply_for"),
    path("<int:pk>/", views.application_detail, name="books_detail"),
    path("<int:pk>/issue/", views.issue, name="books_issue"),
    path("<int:pk>/reject/", views.reject, name="books_reject"),
    path("<int:pk>/withdraw/", views.withdraw, name="books_withdraw"),
    path("issued/", views.issued, name="books_issued"),
    path("issued/<int:pk>/cancel/", views.cancel_book, name="books_cancel"),
]

from django.urls import path

from volnet.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.unit, name="unit"),
    path("plan/", views.plan, name="plan"),
    path("results/", views.report, name="report"),
    path("review/", views.review_list, name="review_list"),
    path("review/<int:pk>/", views.review, name="review"),
    path("review/remind/", views.remind, name="remind"),
]

from django.urls import path

from volnet.honorcard import views, views_cards

app_name = "honorcard"

urlpatterns = [
    path("", views.card, name="card"),
    path("refresh/", views.refresh, name="refresh"),
    path("report-lost/", views_cards.report_lost, name="report_lost"),
    path("cards/", views_cards.cards, name="cards"),
    path("cards/<int:pk>/", views_cards.card_manage, name="card_manage"),
    path("token/<int:pk>/", views.token_status, name="token_status"),
    # The venue check: short, so that the QR code stays small and easy to scan.
    path("c/<str:token>", views.check, name="check"),
    path("check-photo/<str:signed>/", views.check_photo, name="check_photo"),
    path("applications/", views.applications, name="applications"),
    path("applications/apply/", views.apply, name="apply"),
]

from django.urls import path

from volnet.honorcard import views, views_cards, views_venues

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
    # 榮譽卡優惠場所: the public search and how a venue checks a card; the authority's list and its import.
    path("venues/", views_venues.venue_search, name="venue_search"),
    path("venues/check/", views_venues.venue_check, name="venue_check"),
    path("venues/manage/", views_venues.venue_list, name="venues"),
    path("venues/manage/add/", views_venues.venue_add, name="venue_add"),
    path("venues/manage/<int:pk>/", views_venues.venue_edit, name="venue_edit"),
    path("venues/manage/import/", views_venues.venue_import, name="venue_import"),
    path("venues/manage/import/template.<str:file_format>", views_venues.venue_template, name="venue_template"),
    path("venues/manage/import/<str:token>/", views_venues.venue_preview, name="venue_preview"),
    path("venues/manage/import/<str:token>/confirm/", views_venues.venue_confirm, name="venue_confirm"),
    path("venues/manage/import/<str:token>/cancel/", views_venues.venue_cancel, name="venue_cancel"),
]

from django.urls import path

from volnet.documents import views

app_name = "documents"

urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("<str:code>/", views.verify, name="verify"),
]

"""資格查詢 keeps its address (/backoffice/eligibility/) and its URL name (`eligibility:query`): the page is
the eligibility engine's verdicts, but it lives in this app because it shows and makes honor-card and award
applications (docs/architecture.md)."""

from django.urls import path

from volnet.honorcard import views_eligibility

app_name = "eligibility"

urlpatterns = [
    path("", views_eligibility.query, name="query"),
]

from django.apps import apps
from django.contrib import admin
from django.urls import reverse


def test_the_home_page_speaks_traditional_chinese_and_offers_login(client, db):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="zh-Hant-TW"' in html
    assert "志工登入" in html
    assert 'href="/accounts/login/"' in html


def test_every_asset_is_served_by_the_project(client, db):
    html = client.get("/").content.decode()
    assert "//cdn" not in html and "https://" not in html


def test_the_health_endpoint_reports_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_the_admin_lists_every_model(admin_client):
    registered = set(admin.site._registry)
    ours = {m for m in apps.get_models() if m.__module__.startswith("volnet.")}
    missing = {m.__name__ for m in ours - registered}
    assert not missing
    for model in ours:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert admin_client.get(url).status_code == 200, url


def test_unknown_pages_get_a_chinese_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "找不到這個頁面" in response.content.decode()


def test_the_rows_only_the_code_writes_are_view_only_in_the_admin(admin_client):
    """Notifications, mail, issued documents, card tokens, checks and events, summaries, correction requests:
    the admin shows them and offers neither an add nor a change form (volnet.viewonly.ViewOnlyAdmin)."""
    from volnet.viewonly import ViewOnlyAdmin

    view_only = [model for model, model_admin in admin.site._registry.items() if isinstance(model_admin, ViewOnlyAdmin)]
    assert {"notification", "mail", "document", "cardtoken", "areafigure"} <= {m._meta.model_name for m in view_only}
    for model in view_only:
        label = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert admin_client.get(reverse(f"{label}_add")).status_code == 403, label
        assert admin_client.get(reverse(f"{label}_changelist")).status_code == 200, label

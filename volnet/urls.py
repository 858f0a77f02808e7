from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

from volnet import views
from volnet.backoffice import selfreport

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("volnet.accounts.urls")),
    path("me/report-hours/", selfreport.report_hours, name="selfreport"),
    path("me/staff-invitations/", include("volnet.desk.urls_portal")),
    path("me/notifications/", include("volnet.notifications.urls")),
    path("me/", include("volnet.portal.urls")),
    path("me/record-book/", include("volnet.recordbook.urls")),
    path("honor-card/", include("volnet.honorcard.urls")),
    path("verify/", include("volnet.documents.urls")),
    path("recruitment/", include("volnet.recruitment.urls")),
    path("albums/", include("volnet.albums.urls")),
    path("courses/", include("volnet.courses.urls")),
    path("backoffice/", include("volnet.backoffice.urls")),
    path("backoffice/eligibility/", include("volnet.honorcard.urls_eligibility")),
    path("backoffice/desk/", include("volnet.desk.urls")),
    path("backoffice/reports/", include("volnet.reports.urls")),
    path("backoffice/statistics/", include("volnet.statistics.urls")),
    path("admin/", admin.site.urls),
]

if settings.BENCH:
    urlpatterns += [
        path("bench/sign-in", views.bench_sign_in),
        path("bench/bare", views.bench_bare),
    ]

if settings.DEBUG:
    urlpatterns += [
        path("dev/outbox/", views.outbox, name="dev-outbox"),
        path("dev/outbox/<str:name>", views.outbox_message, name="dev-outbox-message"),
        path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

admin.site.site_header = _("志願服務資訊網 系統管理")
admin.site.site_title = _("志願服務資訊網")

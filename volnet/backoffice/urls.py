from django.urls import include, path

from volnet.backoffice import (
    views,
    views_approvals,
    views_audit,
    views_certificates,
    views_corrections,
    views_files,
    views_grid,
    views_people,
    views_records,
    views_roster,
    views_volunteers,
)
from volnet.backoffice.kinds import KINDS

app_name = "backoffice"

urlpatterns = [
    path("", views.dashboard, name="home"),
    path("unit/", views.switch_unit, name="switch_unit"),
    path("volunteers/", views_volunteers.volunteer_list, name="volunteers"),
    path("volunteers/add/", views_volunteers.volunteer_add, name="volunteer_add"),
    path("volunteers/roster/", views_roster.roster_download, name="volunteer_roster"),
    path("files/<str:token>/", views_files.file_job, name="file_job"),
    path("files/<str:token>/download/", views_files.file_job_download, name="file_job_download"),
    path("volunteers/<int:volunteer_id>/", views_volunteers.volunteer_detail, name="volunteer"),
    path("volunteers/<int:volunteer_id>/edit/", views_volunteers.volunteer_edit, name="volunteer_edit"),
    path("volunteers/<int:volunteer_id>/password/", views_volunteers.volunteer_password, name="volunteer_password"),
    path(
        "volunteers/<int:volunteer_id>/temporary-password/",
        views_volunteers.volunteer_temporary_password,
        name="volunteer_temporary_password",
    ),
    path("memberships/<int:membership_id>/end/", views_volunteers.membership_end, name="membership_end"),
    path("memberships/<int:membership_id>/trial/", views_people.membership_trial, name="membership_trial"),
    path("volunteers/<int:volunteer_id>/photo/", views_people.volunteer_photo, name="volunteer_photo"),
    path("volunteers/<int:volunteer_id>/photo/image/", views_people.volunteer_photo_image,
         name="volunteer_photo_image"),
    path("services/grid/", views_grid.service_grid, name="service_grid"),
    path("services/pending/", views_approvals.approvals, name="approvals"),
    path("corrections/", views_corrections.correction_queue, name="corrections"),
    path("corrections/<int:pk>/", views_corrections.correction_answer, name="correction"),
    path("audit/", views_audit.audit_log, name="audit"),
    path("certificates/", views_certificates.certificate_list, name="certificates"),
    path("certificates/issue/", views_certificates.issue, name="certificate_issue"),
    path("certificates/requests/", views_certificates.request_list, name="certificate_requests"),
    path("certificates/requests/<int:pk>/", views_certificates.request_detail, name="certificate_request"),
    path("certificates/<int:pk>/cancel/", views_certificates.cancel, name="certificate_cancel"),
    path("certificates/<int:pk>/pdf/", views_certificates.certificate_pdf, name="certificate_pdf"),
    # Excel import and export (urls_excel.py) and record-book applications (urls_books.py).
    path("excel/", include("volnet.backoffice.urls_excel")),
    path("record-books/", include("volnet.backoffice.urls_books")),
]

# Service hours, training, insurance, other items and awards share one set of views (kinds.py):
# services/ (name "services"), services/add/ ("service_add"), services/<id>/edit/ ("service_edit"), …
for _kind in KINDS.values():
    _extra = {"kind": _kind.slug}
    urlpatterns += [
        path(_kind.path, views_records.record_list, _extra, name=_kind.list_name),
        path(f"{_kind.path}add/", views_records.record_add, _extra, name=f"{_kind.slug}_add"),
        path(f"{_kind.path}<int:record_id>/edit/", views_records.record_edit, _extra, name=f"{_kind.slug}_edit"),
        path(f"{_kind.path}<int:record_id>/delete/", views_records.record_delete, _extra,
             name=f"{_kind.slug}_delete"),
        path(f"{_kind.path}<int:record_id>/history/", views_records.record_history, _extra,
             name=f"{_kind.slug}_history"),
    ]

from django.urls import path

from volnet.portal import views, views_certificates, views_corrections, views_mydata, views_units

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("services/", views.services_view, name="services"),
    path("services/<int:pk>/", views.service_detail, name="service_detail"),
    path("honors/", views.honors, name="honors"),
    path("certificates/", views_certificates.certificates_view, name="certificates"),
    path("certificates/<int:pk>/withdraw/", views_certificates.withdraw, name="certificate_withdraw"),
    path("certificates/<int:pk>/pdf/", views_certificates.certificate_pdf, name="certificate_pdf"),
    path("applications/", views.applications, name="applications"),
    path("courses/", views.courses, name="courses"),
    path("profile/", views.profile, name="profile"),
    path("profile/photo/", views.upload_photo, name="upload_photo"),
    path("profile/email/<str:token>/", views.verify_email, name="verify_email"),
    path("photo/", views.photo, name="photo"),
    path("my-data/", views_mydata.my_data, name="my_data"),
    path("documents/", views_mydata.issued_documents, name="documents"),
    path("corrections/", views_corrections.correction_list, name="corrections"),
    path("corrections/<str:kind>/<int:record_id>/", views_corrections.correction, name="correction"),
    path("units/", views_units.unit_requests, name="unit_requests"),
    path("units/<int:pk>/answer/", views_units.answer_unit_request, name="unit_request_answer"),
]

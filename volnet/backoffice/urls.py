from django.urls import include, path

from volnet.views import placeholder

app_name = "backoffice"

urlpatterns = [
    path("", placeholder, name="home"),
    path("volunteers/", placeholder, name="volunteers"),
    path("services/", placeholder, name="services"),
    path("services/grid/", placeholder, name="service_grid"),
    path("services/pending/", placeholder, name="approvals"),
    path("trainings/", placeholder, name="trainings"),
    path("insurance/", placeholder, name="insurance"),
    path("other-items/", placeholder, name="other_items"),
    path("awards/", placeholder, name="awards"),
    path("audit/", placeholder, name="audit"),
    # Excel import and export (urls_excel.py) and record-book applications (urls_books.py).
    path("excel/", include("volnet.backoffice.urls_excel")),
    path("record-books/", include("volnet.backoffice.urls_books")),
]

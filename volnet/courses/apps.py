from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "volnet.courses"
    verbose_name = _("教育訓練課程")

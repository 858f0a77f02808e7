from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceCategory(models.TextChoices):
    """Record-book and special-training categories (domain.md §1.2)."""

    SOCIAL_WELFARE = "social_welfare", _("社會福利類")
    EDUCATION = "education", _("教育類")
    CULTURE = "culture", _("文化類")
    HEALTH = "health", _("衛生保健類")
    INDIGENOUS = "indigenous", _("原住民類")
    SPORTS = "sports", _("體育類")
    ENVIRONMENT = "environment", _("環境保護類")
    OTHER = "other", _("其他類")

from django.db import models


class ServiceCategory(models.TextChoices):
    """Record-book and special-training categories (domain.md §1.2)."""

    SOCIAL_WELFARE = "social_welfare", "社會福利類"
    EDUCATION = "education", "教育類"
    CULTURE = "culture", "文化類"
    HEALTH = "health", "衛生保健類"
    INDIGENOUS = "indigenous", "原住民類"
    SPORTS = "sports", "體育類"
    ENVIRONMENT = "environment", "環境保護類"
    OTHER = "other", "其他類"


# 服務項目 as the manual and units use them; free text is allowed, these are the suggestions.
SERVICE_ITEMS = [
    "綜合服務",
    "環保服務",
    "社區服務",
    "老人服務",
    "兒童服務",
    "青少年服務",
    "身心障礙服務",
    "婦女服務",
    "家庭服務",
    "醫療衛生服務",
    "文化藝術服務",
    "教育服務",
    "行政服務",
]

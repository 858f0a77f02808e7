from django.utils import translation

# The categories live in units (a unit has one too, and units sits below records); imported from here as before.
from volnet.units.choices import ServiceCategory  # noqa: F401

# 服務項目 as the manual and units use them; free text is allowed, these are the suggestions.
# zh-only: what is picked is saved as the record's text, compared with stored items and listed in the Excel template
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


def source_labels(choices):
    """{value: label} in the source language (Traditional Chinese) whatever language is active.

    For files and stored data, not pages: an export or a template must say 社會福利類 / 基礎訓練 because
    the import matches those words, and an audit entry keeps the words it was written with.
    """
    with translation.override(None):
        return {value: str(label) for value, label in choices}

"""Read-side queries of recruitment for one volunteer (我的檔案's 應徵紀錄)."""

from volnet.recruitment.models import Application


def applications_for(volunteer):
    """應徵紀錄: the volunteer's applications with posting and unit, newest first."""
    return (
        Application.objects.filter(volunteer=volunteer)
        .select_related("posting", "posting__unit")
        .order_by("-applied_at", "-id")
    )

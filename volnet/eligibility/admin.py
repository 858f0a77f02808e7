from django.contrib import admin

from volnet.eligibility.models import Rule


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ["name", "scheme", "level", "min_months", "min_hours", "min_minutes", "effective_from",
                    "effective_to"]
    list_filter = ["scheme"]

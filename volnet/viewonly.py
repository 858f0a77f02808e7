"""The admin's read-only screens: rows the project's own code writes (notifications, mail, issued documents,
summaries, audit trails) are shown to the operator and never added or edited there."""

from django.contrib import admin


class ViewOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

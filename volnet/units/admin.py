from django.contrib import admin

from volnet.units.models import Authority, Membership, StaffRole, Unit


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "level"]
    search_fields = ["code", "name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent", "authority", "is_active"]
    search_fields = ["code", "name"]
    list_filter = ["authority", "is_active"]
    raw_id_fields = ["parent"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["volunteer", "unit", "status", "joined_on", "left_on", "created_account", "answered_at"]
    list_filter = ["status"]
    raw_id_fields = ["volunteer", "unit", "requested_by"]


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit", "authority", "is_active"]
    raw_id_fields = ["user", "unit"]

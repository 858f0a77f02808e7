from django.contrib import admin

from volnet.courses.models import Attendance, Course, Enrolment, Session


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "category", "unit", "authority", "first_day", "capacity", "status"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["unit", "authority", "created_by"]
    inlines = [SessionInline]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["course", "subject", "date", "starts_at", "ends_at", "minutes"]
    raw_id_fields = ["course"]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["course", "volunteer", "status", "created_at", "completed_on", "certificate_number"]
    list_filter = ["status"]
    raw_id_fields = ["course", "volunteer", "training_record", "completed_by"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["session", "enrolment", "present", "marked_at"]
    raw_id_fields = ["session", "enrolment", "marked_by"]

from django.contrib import admin

from .models import Examination, FollowUp, Rubric


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    """Rubrics are loaded (and new versions imported) through ``rubric_import``; the admin only inspects."""

    list_display = ("code", "version", "name", "scheme", "active")
    readonly_fields = (
        "code",
        "version",
        "name",
        "scheme",
        "definition",
        "cutoff_sehat",
        "cutoff_cukup",
        "cutoff_pengawasan",
        "cutoffs_unconfirmed",
    )


@admin.register(Examination)
class ExaminationAdmin(admin.ModelAdmin):
    list_display = ("cooperative", "year", "version", "rubric", "status", "total", "predicate")
    list_filter = ("status", "predicate", "year")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ("cooperative", "deadline", "status")

    def has_change_permission(self, request, obj=None):
        return False

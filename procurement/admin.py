from django.contrib import admin

from procurement.models import Consultation


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    """Read-only: consultations change only through the application's services."""

    list_display = ["reference", "title", "groupement", "state", "offers_deadline"]
    list_select_related = ["groupement"]
    list_filter = ["state", "procedure"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

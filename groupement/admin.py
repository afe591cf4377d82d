from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext as _

from groupement.models import Groupement, Membership, Organisation, RoleGroup, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "siret"]
    search_fields = ["name", "short_name", "siret"]
    list_filter = ["kind"]


class PersonChangeForm(UserChangeForm):
    def clean(self):
        # A role group carries object permissions: joining another organisation's group
        # would hand out that organisation's rights.
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        foreign = [
            group
            for group in cleaned.get("groups", [])
            if hasattr(group, "role_group") and group.role_group.organisation != organisation
        ]
        if foreign:
            raise forms.ValidationError(
                _("A person holds roles only within their own organisation: %(groups)s.")
                % {"groups": ", ".join(str(g) for g in foreign)}
            )
        return cleaned


@admin.register(User)
class PersonAdmin(UserAdmin):
    form = PersonChangeForm
    list_display = ["username", "first_name", "last_name", "organisation", "is_active"]
    list_filter = ["organisation", "is_active", "is_staff"]
    list_select_related = ["organisation"]
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Organisation", {"fields": ["organisation"]}))


@admin.register(RoleGroup)
class RoleGroupAdmin(admin.ModelAdmin):
    list_display = ["organisation", "role", "group"]
    list_filter = ["role"]
    list_select_related = ["organisation", "group"]


MEMBERSHIP_FIELDS = (
    "organisation",
    "share",
    "state",
    "decision_number",
    "decision_date",
    "signed_on",
)


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = MEMBERSHIP_FIELDS
    readonly_fields = MEMBERSHIP_FIELDS
    extra = 0
    can_delete = False


@admin.register(Groupement)
class GroupementAdmin(admin.ModelAdmin):
    """Read-only: groupements change only through the application's services."""

    list_display = ["name", "coordinator", "state"]
    list_select_related = ["coordinator"]
    inlines = [MembershipInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

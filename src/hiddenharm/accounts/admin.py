"""The back office for setting up organisations, teams and people (staff only).

Case records and the audit trail are deliberately not here: they are read and changed only
through the application's views, where access is checked and audited in one place.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from hiddenharm.accounts.models import Organisation, Profile, Team


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "agency_code", "la_code")
    list_filter = ("kind",)
    search_fields = ("name", "agency_code")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation")
    list_filter = ("organisation",)


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PersonAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ("username", "first_name", "last_name", "is_active", "profile__role")
    list_filter = ("is_active", "profile__role", "profile__organisation")


admin.site.site_header = "Hidden Harm: organisations and people"

from django.contrib import admin

from .models import Clearance, ExposureProfile, SosDevice


@admin.register(ExposureProfile)
class ExposureProfileAdmin(admin.ModelAdmin):
    list_display = ["person", "tier", "updated_on"]
    list_filter = ["tier"]
    search_fields = ["person__full_name"]


@admin.register(Clearance)
class ClearanceAdmin(admin.ModelAdmin):
    list_display = ["person", "level", "status", "granted_on", "expires_on"]
    list_filter = ["level", "status"]
    search_fields = ["person__full_name", "reference"]


@admin.register(SosDevice)
class SosDeviceAdmin(admin.ModelAdmin):
    list_display = ["serial", "person", "issued_on", "last_tested_on", "returned_on"]
    search_fields = ["serial", "person__full_name"]

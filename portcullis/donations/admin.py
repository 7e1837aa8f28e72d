"""Django admin as a window: the rules are public (switched on the rules page, with a ledger row);
donations, reports, referrals and registers list only what `visible_to` shows, which for an
administrator is none of them."""

from django.contrib import admin

from portcullis.lib.admin import VisibleReadOnlyAdmin

from .models import Donation, FiledReport, Interest, PolicyRule, Referral


@admin.register(PolicyRule)
class PolicyRuleAdmin(VisibleReadOnlyAdmin):
    list_display = ["key", "amount", "days", "effective_from", "effective_to", "legal_status"]
    list_filter = ["legal_status", "key"]


for model in (Donation, FiledReport, Referral, Interest):
    admin.site.register(model, VisibleReadOnlyAdmin)

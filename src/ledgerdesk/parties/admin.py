from django.contrib import admin

from ledgerdesk.parties.models import BankAccount, Contact, Party


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ("name", "role", "email", "phone", "preferred_channel", "language", "time_zone")


class BankAccountInline(admin.TabularInline):
    """Read-only: new bank details go through the held, called-back, four-eyes change flow
    (parties.bank_changes), never straight into the admin."""

    model = BankAccount
    extra = 0
    fields = ("iban", "bic", "holder_name", "status")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "tax_id",
        "external_id",
        "is_vendor",
        "is_customer",
        "default_currency",
        "payment_terms_days",
        "criticality",
    )
    list_filter = ("is_vendor", "is_customer", "criticality", "default_currency")
    search_fields = ("name", "tax_id", "external_id")
    inlines = [ContactInline, BankAccountInline]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("name", "party", "email", "preferred_channel", "language", "time_zone")
    list_select_related = ("party",)
    search_fields = ("name", "email", "party__name")
    autocomplete_fields = ("party",)

from django import forms
from django.contrib import admin

from ledgerdesk.watch import checks
from ledgerdesk.watch.models import CheckRun, CheckSetting, Finding, VendorDocument


def _defaults_help() -> str:
    return "; ".join(
        f"{check.name}: " + ", ".join(f"{k}={v!r}" for k, v in check.defaults().items())
        for check in checks.CHECKS
    )


class CheckSettingForm(forms.ModelForm):
    name = forms.ChoiceField(choices=checks.choices, label="check")

    class Meta:
        model = CheckSetting
        fields = ("name", "enabled", "thresholds")
        help_texts = {"thresholds": "Only what differs from the defaults. Defaults: "}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thresholds"].help_text += _defaults_help()


@admin.register(CheckSetting)
class CheckSettingAdmin(admin.ModelAdmin):
    form = CheckSettingForm
    list_display = ("name", "enabled", "thresholds", "updated_at")
    list_filter = ("enabled",)


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ("check_name", "summary", "case", "first_seen", "last_seen", "resolved_at")
    list_filter = ("check_name",)
    list_select_related = ("case",)
    search_fields = ("key", "summary")
    raw_id_fields = ("party", "invoice", "case")
    readonly_fields = ("content_type", "object_id", "first_seen", "last_seen")


@admin.register(CheckRun)
class CheckRunAdmin(admin.ModelAdmin):
    list_display = ("check_name", "started_at", "seconds", "found", "new", "cases_opened",
                    "vendors_told", "resolved")  # fmt: skip
    list_filter = ("check_name",)


@admin.register(VendorDocument)
class VendorDocumentAdmin(admin.ModelAdmin):
    list_display = ("party", "kind", "reference", "received_at", "valid_until")
    list_filter = ("kind",)
    search_fields = ("party__name", "reference")
    autocomplete_fields = ("party",)

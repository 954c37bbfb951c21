import zoneinfo

from django import forms

from ledgerdesk.parties.models import Contact


class ContactForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=[(tz, tz) for tz in sorted(zoneinfo.available_timezones())]
    )

    class Meta:
        model = Contact
        fields = [
            "name",
            "role",
            "email",
            "phone",
            "preferred_channel",
            "language",
            "time_zone",
            "personal_notes",
            "is_primary",
        ]
        widgets = {"personal_notes": forms.Textarea(attrs={"rows": 3})}

from django import forms

from ledgerdesk.surveys.models import Survey

CASE_CHOICES = [
    ("5", "5 – very good"),
    ("4", "4 – good"),
    ("3", "3 – all right"),
    ("2", "2 – poor"),
    ("1", "1 – very poor"),
]
RELATIONSHIP_CHOICES = [
    ("5", "5 – very easy"),
    ("4", "4 – easy"),
    ("3", "3 – all right"),
    ("2", "2 – hard"),
    ("1", "1 – very hard"),
]


class AnswerForm(forms.Form):
    """The signed link page: the rating clicked in the e-mail, pre-selected, and a comment."""

    rating = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        rating, comment = self.fields["rating"], self.fields["comment"]
        if kind == Survey.Kind.RELATIONSHIP:
            rating.label = "How easy is it to work with us?"
            rating.choices = RELATIONSHIP_CHOICES
            comment.label = "What frustrates you? (optional)"
        else:
            rating.label = "How well did we help you?"
            rating.choices = CASE_CHOICES
            comment.label = "Anything you want to tell us (optional)"

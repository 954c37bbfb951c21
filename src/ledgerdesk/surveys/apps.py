from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "ledgerdesk.surveys"
    label = "surveys"
    verbose_name = "Surveys"

    def ready(self):
        from ledgerdesk.core import audit
        from ledgerdesk.surveys.models import SurveySettings

        # Who changed the survey rules, and from what: a lead edits them in the admin.
        audit.track(
            SurveySettings,
            (
                "quiet_days",
                "low_rating",
                "link_days",
                "case_surveys",
                "relationship_surveys",
                "active_within_days",
            ),
        )

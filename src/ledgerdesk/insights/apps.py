from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "ledgerdesk.insights"
    label = "insights"
    verbose_name = "Insight"

from django.apps import AppConfig


class ReceivablesConfig(AppConfig):
    name = "ledgerdesk.receivables"
    label = "receivables"
    verbose_name = "Receivables: bank statements and cash application"

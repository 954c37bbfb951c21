from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "ledgerdesk.mail"
    label = "mail"
    verbose_name = "Mail"

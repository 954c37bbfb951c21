from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "ledgerdesk.desk"
    label = "desk"
    verbose_name = "Help desk"

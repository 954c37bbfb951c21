from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ledgerdesk.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from django.db.models.signals import post_migrate

        from ledgerdesk.core import roles

        # Roles are groups with permissions; permissions only exist after
        # migrate has created them, app by app, hence post_migrate for every
        # app (the sync is idempotent and cheap).
        post_migrate.connect(roles.sync_roles_after_migrate, dispatch_uid="ledgerdesk-roles")

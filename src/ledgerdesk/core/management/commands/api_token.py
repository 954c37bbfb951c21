from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ledgerdesk.core.models import ApiToken


class Command(BaseCommand):
    help = "Issue an API token for a user; the key is shown once and only its hash is stored."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="integration")

    def handle(self, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"username: no user called {username!r}")
        if not user.has_perm("core.use_console"):
            raise CommandError(f"{username} has no staff role; the API would refuse the token")
        _, key = ApiToken.issue(user, name)
        self.stdout.write(key)

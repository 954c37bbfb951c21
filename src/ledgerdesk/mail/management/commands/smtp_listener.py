"""`ledgerdesk smtp-listener`: take mail by SMTP and turn it into cases until stopped."""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ledgerdesk.desk.models import Team
from ledgerdesk.mail.smtp import listener


class Command(BaseCommand):
    help = (
        "Receive mail by SMTP (direct delivery from your mail server) and open or continue "
        "cases. Only the teams' addresses and LEDGERDESK_SMTP_RECIPIENTS are accepted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--host", help=f"address to listen on (default {settings.LEDGERDESK_SMTP_HOST})"
        )
        parser.add_argument(
            "--port", type=int, help=f"port (default {settings.LEDGERDESK_SMTP_PORT})"
        )

    def handle(self, host, port, **options):
        host = host or settings.LEDGERDESK_SMTP_HOST
        port = port or settings.LEDGERDESK_SMTP_PORT
        controller = listener(host, port)
        try:
            controller.start()
        except Exception as exc:  # port in use, address not ours, listener not ready in time
            raise CommandError(f"cannot listen on {host}:{port}: {exc}") from exc
        addresses = [*Team.objects.order_by("code").values_list("email", flat=True)]
        addresses += settings.LEDGERDESK_SMTP_RECIPIENTS
        self.stdout.write(
            f"Listening for mail on smtp://{host}:{port} for {', '.join(addresses) or 'nobody yet'}"
        )
        self.stdout.flush()
        try:
            self.wait()
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()
            self.stdout.write("SMTP listener stopped.")

    def wait(self):
        """Block until SIGTERM or Ctrl-C."""
        stop = threading.Event()
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, lambda *_: stop.set())
        while not stop.wait(1):
            pass

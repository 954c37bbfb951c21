"""`ledgerdesk run`: the whole product on one machine, for trying it out.

Migrates the embedded database, loads the demo data once, starts the Huey
task worker and the SMTP listener as child processes and serves the
console, portal and API with Waitress (a production WSGI server, threads,
no reloader).
"""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, load demo data once, start the task worker and serve on http://127.0.0.1:8000"

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("LEDGERDESK_HOST", "127.0.0.1"))
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("LEDGERDESK_PORT", "8000"))
        )
        parser.add_argument("--no-demo", action="store_true", help="do not load demo data")
        parser.add_argument("--no-worker", action="store_true", help="do not start the worker")
        parser.add_argument(
            "--no-smtp", action="store_true", help="do not start the SMTP listener for mail"
        )
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, host, port, no_demo, no_worker, no_smtp, threads, **options):
        from waitress import serve

        from ledgerdesk.wsgi import application

        self.stdout.write("Preparing the database…")
        call_command("migrate", interactive=False, verbosity=0)
        logins = []
        if not no_demo:
            from ledgerdesk.demo import demo_logins, load_demo_once

            load_demo_once(self.stdout)
            logins = demo_logins()

        worker = None
        if not no_worker:
            worker = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                [sys.executable, "-m", "ledgerdesk.cli", "run_huey", "--quiet"],
                env=os.environ.copy(),
            )
        smtp = None
        smtp_address = f"{settings.LEDGERDESK_SMTP_HOST}:{settings.LEDGERDESK_SMTP_PORT}"
        if not no_smtp:
            smtp = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                [sys.executable, "-m", "ledgerdesk.cli", "smtp_listener"],
                env=os.environ.copy(),
                stdout=subprocess.DEVNULL,  # its start-up line is in the banner below
            )

        def stop(*_):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        url = f"http://{host}:{port}"
        self.stdout.write(self.style.SUCCESS(f"\nLedgerDesk is running on {url}"))
        self.stdout.write(
            f"  console  {url}/\n  admin    {url}/admin/\n  API      {url}/api/v1/docs"
        )
        self.stdout.write(f"  data     {settings.DATA_DIR}")
        if worker:
            self.stdout.write(f"  worker   Huey, pid {worker.pid}")
        if smtp:
            self.stdout.write(f"  mail in  smtp://{smtp_address}, pid {smtp.pid}")
        if logins:
            self.stdout.write("\nDemo logins (user name / password):")
            for username, password, role in logins:
                self.stdout.write(f"  {role:<8} {username:<10} {password}")
        self.stdout.write("\nPress Ctrl-C to stop.\n")
        self.stdout.flush()
        try:
            serve(application, host=host, port=port, threads=threads, ident="LedgerDesk")
        except KeyboardInterrupt:
            pass
        finally:
            for child in (worker, smtp):
                if child and child.poll() is None:
                    child.terminate()
            for child in (worker, smtp):
                if child:
                    try:
                        child.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        child.kill()

import sys

from django.core.management.base import BaseCommand, CommandError

from ledgerdesk.coach import cli


class Command(BaseCommand):
    help = "Review a draft reply: ledgerdesk coach [--context C.json] [--json] FILE|-"

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE|-")
        parser.add_argument("--context", metavar="CONTEXT.json")
        parser.add_argument("--rules", metavar="PATH", action="append", default=[])
        parser.add_argument("--json", action="store_true")

    def handle(self, file, context, rules, json, **options):
        argv = [file]
        if context:
            argv += ["--context", context]
        for path in rules:
            argv += ["--rules", path]
        if json:
            argv.append("--json")
        code = cli.main(argv, stdin=sys.stdin, stdout=self.stdout._out, stderr=self.stderr._out)
        if code:
            raise CommandError("the reply could not be reviewed (see the message above)", code)

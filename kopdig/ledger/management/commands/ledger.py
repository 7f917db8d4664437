"""``kopdig ledger verify [--coop SLUG]``: recompute the month caches from the journal lines,
check that every entry balances, print every difference and exit 1 when there is any."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Ledger maintenance: `ledger verify [--coop SLUG]` proves the balance caches against the lines."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="recompute balances from the journal lines and compare")
        verify.add_argument("--coop", dest="coop", default=None, help="only this cooperative (slug)")

    def handle(self, *args, subcommand=None, coop=None, **options):
        from kopdig.ledger.selectors import verify
        from kopdig.tenancy.models import Cooperative

        cooperative = None
        if coop:
            cooperative = Cooperative.objects.filter(slug=coop).first()
            if cooperative is None:
                raise CommandError(f"cooperative {coop!r} not found")
        problems = verify(cooperative)
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            self.stderr.write(f"ledger verify: {len(problems)} problem(s)")
            raise SystemExit(1)
        self.stdout.write("ledger verify: OK")

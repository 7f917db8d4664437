"""``kopdig ledger verify [--coop SLUG]``: check that every entry balances and its lines are dated
like it and belong to its cooperative, recompute the month caches from the journal lines, and
prove every product cache registered in ``kopdig.ledger.verifiers`` (savings balances, loan
outstanding principal, stock) against its source and its control account; print every
difference and exit 1 when there is any."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Ledger maintenance: `ledger verify [--coop SLUG]` proves every cache against its source."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser(
            "verify", help="prove entries, month caches and product caches against their sources"
        )
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

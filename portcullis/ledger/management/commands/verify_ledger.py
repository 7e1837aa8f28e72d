from django.core.management.base import BaseCommand, CommandError

from portcullis.ledger.services import check_chain


class Command(BaseCommand):
    help = "Verify the ledger's hash chain. Exits non-zero and names the first broken entry."

    def handle(self, *args: object, **options: object) -> None:
        check = check_chain()
        if not check.intact:
            raise CommandError(f"ledger entry #{check.broken_at}: {check.reason}")
        self.stdout.write(f"Ledger intact: {check.entries_checked} entries verified.")

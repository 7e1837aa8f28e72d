from django.core.management.base import BaseCommand, CommandError, CommandParser

from portcullis.accounts import tokens
from portcullis.accounts.models import User
from portcullis.accounts.services import ApiTokenError, issue_api_token
from portcullis.ledger.actors import COMMAND


class Command(BaseCommand):
    help = "Make a named, scoped, expiring API token for a user and print its key (shown once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="Integration", help="what the token is for")
        parser.add_argument(
            "--scope",
            action="append",
            choices=sorted(tokens.SCOPES),
            help="an API area the token may reach (repeat it; default: every area)",
        )
        parser.add_argument("--days", type=int, default=tokens.DEFAULT_DAYS)
        parser.add_argument("--write", action="store_true", help="allow changes, not only reads")

    def handle(self, *args: object, email: str, **options: object) -> None:
        user = User.objects.filter(email=email.strip().lower(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active user has the e-mail address {email}")
        scopes = options["scope"] or sorted(tokens.SCOPES)
        try:
            _, key = issue_api_token(
                user=user,
                actor=COMMAND,
                name=str(options["name"]),
                scopes=list(scopes),  # type: ignore[call-overload]
                days=int(options["days"]),  # type: ignore[call-overload]
                read_only=not options["write"],
            )
        except ApiTokenError as exc:
            raise CommandError(f"{exc.field}: {exc.message}") from exc
        self.stdout.write(key)

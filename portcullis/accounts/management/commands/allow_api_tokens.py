from django.core.management.base import BaseCommand, CommandError, CommandParser

from portcullis.accounts.models import User
from portcullis.accounts.services import (
    ApiTokenError,
    allow_api_tokens,
    withdraw_api_token_allowance,
)
from portcullis.ledger.actors import COMMAND


class Command(BaseCommand):
    help = (
        "Let someone whose role needs two-step sign-in hold API tokens (the security team's "
        "recorded exception), or withdraw it with --withdraw."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--reason", default="", help="why the person needs a token")
        parser.add_argument("--withdraw", action="store_true")

    def handle(self, *args: object, email: str, reason: str, withdraw: bool, **_: object) -> None:
        user = User.objects.filter(email=email.strip().lower(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active user has the e-mail address {email}")
        if withdraw:
            withdraw_api_token_allowance(user=user, actor=COMMAND)
            return
        try:
            allow_api_tokens(user=user, actor=COMMAND, reason=reason)
        except ApiTokenError as exc:
            raise CommandError(f"{exc.field}: {exc.message}") from exc

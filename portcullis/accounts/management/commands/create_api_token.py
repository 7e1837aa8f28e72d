from django.core.management.base import BaseCommand, CommandError, CommandParser

from portcullis.accounts.models import User
from portcullis.accounts.services import issue_api_token


class Command(BaseCommand):
    help = "Print the API token of a user (creating it if needed), for an integration."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--rotate", action="store_true", help="replace an existing token")

    def handle(self, *args: object, email: str, rotate: bool, **options: object) -> None:
        user = User.objects.filter(email=email.strip().lower(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active user has the e-mail address {email}")
        self.stdout.write(issue_api_token(user=user, actor=None, rotate=rotate).key)

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from portcullis import ledger
from portcullis.ledger.actors import DEMO
from portcullis.lib.demo import DEMO_PASSWORD, LOADERS, demo_totp_secret


class Command(BaseCommand):
    help = "Load the fictional demo legislature. Safe to run again: nothing is duplicated."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--quiet-sign-ins", action="store_true", help="do not print the demo sign-ins"
        )

    def handle(self, *args: object, quiet_sign_ins: bool = False, **options: object) -> None:
        autodiscover_modules("demo")
        for loader in sorted(LOADERS.values(), key=lambda item: (item.order, item.name)):
            with transaction.atomic():
                summary = loader.func()
                ledger.record(
                    actor=DEMO, action="demo.load", data={"part": loader.name, "summary": summary}
                )
            self.stdout.write(f"  {loader.name}: {summary}")
        if not quiet_sign_ins:
            self.stdout.write(sign_in_help())


def sign_in_help() -> str:
    from portcullis.accounts.demo import DEMO_USERS

    lines = ["", "Demo sign-ins (password for all: " + DEMO_PASSWORD + "):"]
    lines += [f"  {u.email:<22} {u.role.label}" for u in DEMO_USERS]
    lines += [
        "",
        "Security, gate, party and admin sign-ins also ask for a TOTP code.",
        f"Add this secret to an authenticator app: {demo_totp_secret()}",
        "or print the current code with: make demo-code",
        "",
    ]
    return "\n".join(lines)

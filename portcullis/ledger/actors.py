"""Who did it: a signed-in person (`User`) or Portcullis itself (`SystemActor`).

Every ledger entry names its actor. Work nobody signed in to do (the scheduler's jobs, the task
worker, a command typed on the server, the demo loader, a visitor who is not signed in) is
recorded under one of the named system actors below, never as "anonymous".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from portcullis.accounts.models import User


@dataclass(frozen=True)
class SystemActor:
    name: str
    description: str

    # Duck-typed like Django's users, so code that asks `actor.is_authenticated` gets "no".
    is_authenticated = False

    @property
    def label(self) -> str:
        return f"system: {self.name}"

    def __str__(self) -> str:
        return self.label


SCHEDULER = SystemActor("scheduler", "a periodic job started by run_scheduler")
WORKER = SystemActor("worker", "a background task run by the task worker")
COMMAND = SystemActor("command", "a manage.py command run on the server")
DEMO = SystemActor("demo", "the demo loader (load_demo)")
VISITOR = SystemActor("visitor", "someone not signed in: a failed sign-in, a public page")

SYSTEM_ACTORS = (SCHEDULER, WORKER, COMMAND, DEMO, VISITOR)

Actor: TypeAlias = "User | SystemActor"


def user_of(actor: Actor) -> User | None:
    """The person behind an actor, for fields such as `decided_by` that point at a user."""
    return None if isinstance(actor, SystemActor) else actor

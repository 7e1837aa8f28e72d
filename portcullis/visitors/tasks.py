"""Background work for visitors: thin wrappers that load by id and call the notifier or a
service."""

from django.utils import timezone
from django_tasks import task

from portcullis.ledger.actors import SCHEDULER

from . import notify, services


@task()
def send_invitation_email(visit_id: int) -> int:
    return notify.send_invitation(visit_id=visit_id)


@task()
def tell_host_of_arrival(visit_id: int) -> int:
    return notify.tell_host(visit_id=visit_id, what="arrived")


@task()
def tell_host_of_walk_in(visit_id: int) -> int:
    return notify.tell_host(visit_id=visit_id, what="walk_in")


@task()
def tell_host_of_check(visit_id: int) -> int:
    from .models import Visit

    visit = Visit.objects.filter(pk=visit_id).only("clearance").first()
    if visit is None:
        return 0
    what = "cleared" if visit.clearance == Visit.Clearance.CLEARED else "barred"
    return notify.tell_host(visit_id=visit_id, what=what)


@task()
def tell_security_of_hold(visit_id: int) -> int:
    return notify.tell_security_of_hold(visit_id=visit_id)


@task()
def tell_security_of_approval(invitation_id: int) -> int:
    return notify.tell_security_of_approval(invitation_id=invitation_id)


@task()
def tell_gate_of_escort_leaving(user_id: int) -> int:
    return notify.tell_gate_of_escort_leaving(user_id=user_id)


@task()
def tell_gate_of_overstays(visit_ids: list[int]) -> int:
    return notify.tell_gate_of_overstays(visit_ids=visit_ids)


@task()
def rescreen_todays_visitors() -> int:
    return services.rescreen_expected(day=timezone.localdate(), actor=SCHEDULER)


@task()
def flag_overstaying_visitors() -> int:
    return services.flag_overstays(actor=SCHEDULER)


@task()
def anonymise_old_visitors() -> int:
    return services.anonymise_old_visits(actor=SCHEDULER)

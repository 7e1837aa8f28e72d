"""E-mails about visits. The visitor's carries their QR code, what to bring and the link to confirm;
hosts hear that a visit is held, never why; the gate and the security team hear of escorts who
leave and of overstays."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse

from portcullis.accounts.mail import mail_security_team
from portcullis.accounts.models import Role, User
from portcullis.lib import mail

from .models import Invitation, Visit, current_level
from .rules import rules_for

CONFIRM_SALT = "visitors.confirm"
CONFIRM_MAX_AGE = 60 * 60 * 24 * 120  # an invitation may be months ahead


def _url(path: str) -> str:
    return getattr(settings, "PORTCULLIS_BASE_URL", "") + path


def confirm_token(visit: Visit) -> str:
    return signing.dumps(str(visit.public_id), salt=CONFIRM_SALT)


def visit_of_token(token: str) -> Visit | None:
    try:
        public_id = signing.loads(token[:200], salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    return (
        Visit.objects.select_related("invitation__area", "invitation__host")
        .filter(public_id=public_id)
        .first()
    )


def qr_png(visit: Visit) -> bytes:
    buffer = io.BytesIO()
    segno.make(visit.qr_text, error="m").save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


def qr_svg(visit: Visit) -> str:
    buffer = io.BytesIO()
    segno.make(visit.qr_text, error="m").save(
        buffer, kind="svg", scale=6, border=2, xmldecl=False, svgns=True, title=visit.qr_text
    )
    return buffer.getvalue().decode()


def _visit(visit_id: int) -> Visit | None:
    return (
        Visit.objects.select_related("invitation__area", "invitation__host__person")
        .filter(pk=visit_id)
        .first()
    )


def send_invitation(*, visit_id: int) -> int:
    visit = _visit(visit_id)
    if visit is None or not visit.email or visit.status != Visit.Status.EXPECTED:
        return 0
    body = render_to_string(
        "visitors/email/invitation.txt",
        {
            "visit": visit,
            "rules": rules_for(current_level()),
            "confirm_url": _url(reverse("visitors:confirm", args=[confirm_token(visit)])),
        },
    )
    return mail.send(
        to=[visit.email],
        subject=f"Your visit on {visit.invitation.starts_at:%-d %B %Y}: confirm your details",
        body=body,
        attachments=[(f"visit-{visit.code}.png", qr_png(visit), "image/png")],
    )


def _hosts(visit: Visit) -> list[str]:
    invitation = visit.invitation
    hosts = [invitation.host.email, *invitation.co_hosts.values_list("email", flat=True)]
    return [a for a in hosts if a]


def tell_host(*, visit_id: int, what: str) -> int:
    """What happened to a visit, in words the host may read (a hold never says why)."""
    visit = _visit(visit_id)
    if visit is None:
        return 0
    subjects = {
        "arrived": f"{visit.name} has arrived",
        "walk_in": f"{visit.name} is at the gate without an invitation: approve or refuse",
        "cleared": f"{visit.name}'s visit may go ahead",
        "barred": f"{visit.name} cannot be admitted",
    }
    body = render_to_string(
        "visitors/email/host.txt",
        {"visit": visit, "what": what, "url": _url(visit.get_absolute_url())},
    )
    return mail.send(to=_hosts(visit), subject=subjects[what], body=body)


def tell_security_of_hold(*, visit_id: int) -> int:
    visit = _visit(visit_id)
    if visit is None:
        return 0
    return mail_security_team(
        subject=f"Visitor {visit.reference} held for a security check",
        body=f"A visitor expected on {visit.invitation.starts_at:%-d %B %Y at %H:%M} is held.\n"
        f"Decide at {_url(visit.get_absolute_url())}\n",
    )


def tell_security_of_approval(*, invitation_id: int) -> int:
    invitation = Invitation.objects.filter(pk=invitation_id).first()
    if invitation is None:
        return 0
    return mail_security_team(
        subject=f"Short-notice invitation {invitation.reference} needs approval",
        body=f"{invitation.approval_reason}. Approve or refuse at "
        f"{_url(reverse('visitors:approvals'))}\n",
    )


def mail_gate(*, subject: str, body: str) -> int:
    gate = User.objects.filter(
        is_active=True,
        person__memberships__role__in=[Role.GATE_OFFICER],
        person__memberships__ended_on__isnull=True,
    ).values_list("email", flat=True)
    return mail.send(to=gate, subject=subject, body=body) + mail_security_team(
        subject=subject, body=body
    )


def tell_gate_of_escort_leaving(*, user_id: int) -> int:
    escort = User.objects.filter(pk=user_id).first()
    visits = list(Visit.objects.on_site().filter(escort_id=user_id).for_lists())
    if escort is None or not visits:
        return 0
    names = "\n".join(f"- {v.name} ({v.invitation.area})" for v in visits)
    return mail_gate(
        subject=f"Escort {escort} has left the estate with {len(visits)} visitors on site",
        body=f"These visitors are on site without their escort:\n{names}\n"
        f"On-site list: {_url(reverse('visitors:on-site'))}\n",
    )


def tell_gate_of_overstays(*, visit_ids: list[int]) -> int:
    visits = list(Visit.objects.on_site().filter(pk__in=visit_ids).for_lists())
    if not visits:
        return 0
    names = "\n".join(
        f"- {v.name} ({v.invitation.area}, until {v.invitation.ends_at:%H:%M}, host "
        f"{v.invitation.host})"
        for v in visits
    )
    return mail_gate(
        subject=f"{len(visits)} visitors still on site after their visit ended",
        body=f"{names}\nOn-site list: {_url(reverse('visitors:on-site'))}\n",
    )

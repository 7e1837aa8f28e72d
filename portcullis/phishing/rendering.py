"""Turning a lure template into the e-mail one person receives."""

from __future__ import annotations

import io
from dataclasses import dataclass
from email.mime.image import MIMEImage

import segno
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template import engines
from django.utils.safestring import mark_safe

from .conf import simulation_base_url
from .models import EmailTemplate, Target

QR_CID = "qr-code"


@dataclass(frozen=True)
class Recipient:
    full_name: str
    office: str
    token: str

    @property
    def link(self) -> str:
        return f"{simulation_base_url()}/l/{self.token}/"

    @property
    def pixel_url(self) -> str:
        return f"{simulation_base_url()}/l/{self.token}/i.png"


def recipient_of(target: Target) -> Recipient:
    return Recipient(
        target.person.full_name, target.office.name if target.office else "", target.token
    )


def _context(recipient: Recipient) -> dict[str, object]:
    pixel = f'<img src="{recipient.pixel_url}" width="1" height="1" alt="">'
    qr = f'<img src="cid:{QR_CID}" alt="QR code" width="180" height="180">'
    return {
        "first_name": (recipient.full_name.split() or [""])[0],
        "full_name": recipient.full_name,
        "office": recipient.office or "your office",
        "link": recipient.link,
        "pixel": mark_safe(pixel),  # noqa: S308 - our own markup around an escaped-safe URL
        "qr_code": mark_safe(qr),  # noqa: S308 - a fixed cid reference
    }


def render(template: EmailTemplate, recipient: Recipient) -> tuple[str, str, str]:
    """(subject, text, html) for one recipient."""
    engine = engines["django"]
    context = _context(recipient)

    def plain(source: str) -> str:
        wrapped = "{% autoescape off %}" + source + "{% endautoescape %}"
        return engine.from_string(wrapped).render(context)

    subject, text = plain(template.subject), plain(template.text_body)
    html = engine.from_string(template.html_body).render(context)
    return " ".join(subject.split()), text, html


def build_message(
    *,
    target: Target,
    envelope_from: str,
    connection: BaseEmailBackend,
    files: Files | None = None,
) -> EmailMultiAlternatives:
    template = target.campaign.template
    recipient = recipient_of(target)
    subject, text, html = render(template, recipient)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=envelope_from,
        to=[target.email],
        headers={"From": f'"{template.from_name}" <{template.from_address}>'},
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    if f"cid:{QR_CID}" in html:
        message.mixed_subtype = "related"
        message.attach(_qr_image(recipient.link))
    for name, content, content_type in attachments_of(template) if files is None else files:
        message.attach(name, content, content_type)
    return message


Files = list[tuple[str, bytes, str]]


def attachments_of(template: EmailTemplate) -> Files:
    """The lure's attachments as (name, bytes, content type): read once per batch by the sender."""
    found = []
    for attachment in template.attachments.all():
        with attachment.file.open("rb") as handle:
            found.append((attachment.name, handle.read(), attachment.content_type))
    return found


def _qr_image(link: str) -> MIMEImage:
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=5)
    image = MIMEImage(buffer.getvalue(), _subtype="png")
    image.add_header("Content-ID", f"<{QR_CID}>")
    image.add_header("Content-Disposition", "inline", filename="qr.png")
    return image

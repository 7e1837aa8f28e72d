"""Printable PDFs: the visitor badge (red = must be escorted, green = may move unescorted where
policy allows) and the roll-call snapshot printed at the start in case the network fails."""

from __future__ import annotations

import io

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from portcullis.lib import pdffonts

from .models import RollCall, Visit

RED, GREEN = colors.HexColor("#d4351c"), colors.HexColor("#00703c")


def badge_pdf(visit: Visit) -> bytes:
    pdffonts.register()
    buffer = io.BytesIO()
    width, height = A6
    pdf = canvas.Canvas(buffer, pagesize=A6, initialFontName=pdffonts.SANS.name)
    pdf.setTitle(f"Visitor pass {visit.reference}")
    green = visit.pass_colour == Visit.Pass.GREEN
    pdf.setFillColor(GREEN if green else RED)
    pdf.rect(0, height - 30 * mm, width, 30 * mm, stroke=0, fill=1)
    pdf.setFillColor(colors.white)
    pdffonts.draw_centred(pdf, width / 2, height - 14 * mm, "VISITOR", 26, bold=True)
    words = "May move unescorted in public areas" if green else "Must be escorted at all times"
    pdffonts.draw_centred(pdf, width / 2, height - 24 * mm, words, 10)
    pdf.setFillColor(colors.black)
    invitation = visit.invitation
    until = timezone.localtime(invitation.ends_at)
    lines = [
        (True, 18, visit.name[:40]),
        (False, 11, visit.organisation[:50]),
        (False, 11, f"Host: {invitation.host}"),
        (False, 11, f"Escort: {visit.escort or 'none'}"),
        (False, 11, f"Area: {invitation.area}"),
        (True, 12, f"Valid until {until:%H:%M} on {until:%-d %B %Y}"),
    ]
    y = height - 42 * mm
    for bold, size, text in lines:
        if text:
            pdffonts.draw_centred(pdf, width / 2, y, text, size, bold=bold)
        y -= size * 1.8
    pdffonts.draw(pdf, 8 * mm, 8 * mm, visit.reference, 8)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def snapshot_pdf(roll_call: RollCall) -> bytes:
    pdffonts.register()
    buffer = io.BytesIO()
    width, height = A4
    pdf = canvas.Canvas(buffer, pagesize=A4, initialFontName=pdffonts.SANS.name)
    started = timezone.localtime(roll_call.started_at)
    pdf.setTitle(f"Roll call {started:%Y-%m-%d %H:%M}")
    entries = list(roll_call.entries.all())
    y = height - 20 * mm

    def heading() -> float:
        pdffonts.draw(
            pdf,
            15 * mm,
            height - 15 * mm,
            f"Evacuation roll call, started {started:%-d %B %Y %H:%M}: "
            f"{len(entries)} visitors on site",
            12,
            bold=True,
        )
        return height - 25 * mm

    y = heading()
    area = None
    for entry in entries:
        if y < 20 * mm:
            pdf.showPage()
            y = heading()
        if entry.area != area:
            area = entry.area
            pdffonts.draw(pdf, 15 * mm, y, area, 11, bold=True)
            y -= 6 * mm
        pdf.rect(15 * mm, y - 1 * mm, 4 * mm, 4 * mm)
        text = f"{entry.name} — host {entry.host}"
        if entry.escort:
            text += f", escort {entry.escort}"
        if entry.phone:
            text += f", phone {entry.phone}"
        pdffonts.draw(pdf, 22 * mm, y, text[:110], 9)
        y -= 6 * mm
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()

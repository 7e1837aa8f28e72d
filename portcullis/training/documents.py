"""Files people download: certificates and the published list (PDF, CSV), due dates (iCalendar)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core import signing
from icalendar import Calendar, Event
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import StyleSheet1, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from portcullis.accounts.models import Person
from portcullis.lib import pdffonts
from portcullis.lib.csvsafe import escape_formula

from .models import Assignment, Completion, DisclosureList

CALENDAR_SALT = "training.calendar"


def certificate_pdf(completion: Completion) -> bytes:
    pdffonts.register()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height), initialFontName=pdffonts.SANS.name)
    pdf.setTitle(f"Certificate {completion.certificate_number}")
    pdf.setStrokeColor(colors.HexColor("#1d3557"))
    pdf.setLineWidth(6)
    pdf.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)
    lines = [
        (False, 16, "Parliamentary Security Department"),
        (True, 30, "Certificate of completion"),
        (False, 16, "This certifies that"),
        (True, 26, completion.person.full_name),
        (False, 16, "has completed the security course"),
        (True, 22, f"{completion.course.title} (version {completion.course_version})"),
        (
            False,
            14,
            f"on {completion.completed_on:%-d %B %Y}"
            + (f" with a score of {completion.score}%" if completion.score is not None else ""),
        ),
        (False, 12, completion.get_method_display()),
        (False, 12, _renewal(completion)),
    ]
    y = height - 50 * mm
    for bold, size, text in lines:
        pdffonts.draw_centred(pdf, width / 2, y, text, size, bold=bold)
        y -= size * 1.9
    pdffonts.draw(pdf, 25 * mm, 25 * mm, f"Certificate number {completion.certificate_number}", 10)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _renewal(completion: Completion) -> str:
    renew_by = completion.renew_by
    return f"Valid until {renew_by:%-d %B %Y}" if renew_by else "Does not need renewing"


def disclosure_rows(disclosure: DisclosureList) -> list[list[str]]:
    return [
        [e.person.full_name, e.office_names, e.course.title, f"{e.due_on:%Y-%m-%d}"]
        for e in disclosure.listed()
    ]


HEADERS = ["Name", "Office", "Course not completed", "Due on"]


def disclosure_csv(disclosure: DisclosureList) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for row in disclosure_rows(disclosure):
        writer.writerow([escape_formula(cell) for cell in row])
    return out.getvalue()


def disclosure_pdf(disclosure: DisclosureList) -> bytes:
    buffer = io.BytesIO()
    pdffonts.register()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, title=disclosure.title, initialFontName=pdffonts.SANS.name
    )
    styles = _styles()
    cell = styles["BodyText"]
    rows = [[Paragraph(h, cell) for h in HEADERS]] + [
        [Paragraph(pdffonts.markup(c), cell) for c in r] for r in disclosure_rows(disclosure)
    ]
    table = Table(rows, colWidths=[45 * mm, 55 * mm, 50 * mm, 25 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dddddd")),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), pdffonts.SANS.name),
            ]
        )
    )
    approved = disclosure.approved_on
    story = [
        Paragraph(pdffonts.markup(disclosure.title, bold=True), styles["Title"]),
        Paragraph(
            f"Overdue past the grace period on {disclosure.as_of:%-d %B %Y}. Everyone listed was "
            f"given notice and a chance to complete or appeal. Approved "
            f"{approved:%-d %B %Y}."
            if approved
            else "",
            styles["BodyText"],
        ),
        Spacer(1, 6 * mm),
        table,
    ]
    doc.build(story)
    return buffer.getvalue()


def _styles() -> StyleSheet1:
    """reportlab's sample styles, set in our embedded Unicode faces instead of Helvetica."""
    styles = getSampleStyleSheet()
    for name in ("BodyText", "Title"):
        style = styles[name]
        style.fontName = pdffonts.SANS_BOLD.name if "Bold" in style.fontName else pdffonts.SANS.name
    return styles


def calendar_token(person: Person) -> str:
    return signing.Signer(salt=CALENDAR_SALT).sign(str(person.public_id))


def person_for_calendar_token(token: str) -> Person | None:
    try:
        public_id = signing.Signer(salt=CALENDAR_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Person.objects.filter(public_id=public_id).first()


def due_dates_ics(assignments: Iterable[Assignment], *, url: str, stamp: datetime) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Portcullis//Security training//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Security training due dates")
    for a in assignments:
        event = Event()
        event.add("uid", f"{a.public_id}@portcullis")
        event.add("summary", f"Security training due: {a.course.title}")
        event.add("dtstart", a.due_on)
        event.add("dtend", a.due_on + timedelta(days=1))
        event.add("dtstamp", stamp)
        event.add("description", f"About {a.course.minutes} minutes. {url}")
        cal.add_component(event)
    return cal.to_ical()

"""The entry point: `analyse(raw)` -> `Analysis`. Nothing raised inside escapes."""

from __future__ import annotations

from email.message import Message

from portcullis.lib.observables import registrable_domain

from . import attachments, domains, images, language, links, score, sender, simulation
from .model import Analysis, AnalysisContext, Findings, Limits, Observables, Verdict
from .msg import is_msg, is_outlook_item, parse_msg
from .parse import ParsedMessage, parse_message, raw_header
from .parse import looks_like_email as _has_header_block


def looks_like_email(raw: bytes) -> bool:
    """An Outlook item or a message with a header block (not a note, document or noise)."""
    return is_outlook_item(raw) or (not is_msg(raw) and _has_header_block(raw))


def analyse(
    raw: bytes, context: AnalysisContext | None = None, limits: Limits | None = None
) -> Analysis:
    """Analyse one reported message (.eml bytes, or Outlook .msg bytes)."""
    context = context or AnalysisContext()
    findings = Findings(limits or Limits())
    try:
        _run(bytes(raw), context, findings)
    except Exception as exc:  # last line of defence: a bug must not stop triage
        findings.flag("parse.error", f"analysis stopped early: {type(exc).__name__}")
    return _result(findings)


def _run(raw: bytes, context: AnalysisContext, findings: Findings) -> None:
    if is_msg(raw):
        parsed = parse_msg(raw[: findings.limits.max_bytes], findings)
    else:
        parsed = parse_message(raw, findings)
    who = sender.read_sender(parsed.message, findings)
    sender.check_sender(who, parsed.message, context, findings)
    for stage in (_links, _attachments, _language):
        stage(parsed, context, findings)
    sender.check_unanchored(who, findings)
    sender.check_forwarded_name(who, findings)
    sender.check_reply_in_text(who, findings.texts, findings)
    simulation.check_simulation(context, findings)


def _links(parsed: ParsedMessage, context: AnalysisContext, findings: Findings) -> None:
    for html in parsed.htmls:
        _html(html, "HTML body", context, findings)
    for text in parsed.texts:
        for url in links.urls_in_text(text[: findings.limits.max_html_bytes]):
            links.check_url(url, "text body", context, findings)


def _html(html: str, source: str, context: AnalysisContext, findings: Findings) -> None:
    facts = links.read_html(html, findings)
    links.check_html(facts, source, context, findings)
    if facts.hidden_chars >= links.HIDDEN_TEXT_AT:
        findings.flag(
            "html.hidden_text",
            f"{source}: {facts.hidden_chars} characters of invisible text: "
            f"{facts.hidden_sample[:60]!r}",
        )
    findings.hidden_text.append(facts.hidden_sample)
    findings.html_images += len(facts.images)
    parsed_text = " ".join(facts.text)
    findings.html_text.append(parsed_text)
    findings.link_lead_ins += [f"{anchor.lead_in} {anchor.text}" for anchor in facts.anchors]
    for src, _ in facts.images:
        if src.lower().startswith("data:"):
            images.check_data_uri(
                src, lambda u, s: links.check_url(u, s, context, findings), findings
            )


def _attachments(parsed: ParsedMessage, context: AnalysisContext, findings: Findings) -> None:
    def add_url(url: str, source: str) -> None:
        links.check_url(url, source, context, findings)

    attachments.check_attachments(parsed.attachments, add_url, findings)
    for item in parsed.attachments:
        if attachments.extension(item.filename) in attachments.HTML_TYPES:
            text = item.data[: findings.limits.max_html_bytes].decode("utf-8", "replace")
            _html(text, f"attachment {item.filename}", context, findings)


def _language(parsed: ParsedMessage, context: AnalysisContext, findings: Findings) -> None:
    obs = findings.observables
    texts = [obs.subject, *parsed.texts, *findings.html_text]
    findings.texts = texts
    limit = findings.limits.max_text_chars
    folded = language.folded_text(texts, limit)
    opening = language.opening_text(texts, limit)
    if opening is not None:
        opening += language.folded_text([" ", *_link_lead_ins(parsed, findings)], limit)
    language.check_language(language.check_approach(folded, findings), findings, opening)
    if sender.is_bulk(parsed.message):
        findings.flag("sender.bulk", "mailing-list headers (List-Unsubscribe, List-Id, Precedence)")
    _first_contact(parsed.message, folded, context, findings)
    language.check_obfuscation([obs.sender_name, *texts], findings)
    language.check_disguised([obs.sender_name, obs.subject, *texts[1:]], findings)
    language.check_placeholders([*texts, *findings.hidden_text], findings)
    language.check_picture_only(parsed.htmls, texts[1:], findings)
    _password_lure(parsed, findings)
    _form_echo(folded, findings)
    _favour_request(parsed, folded, findings)
    # A callback lure is a one-off "invoice" to one reader: a mailing list's or a shop's bulk
    # mail (List-Unsubscribe) that gives a number to ring is customer service.
    if not findings.observables.urls and "sender.bulk" not in findings.evidence:
        charge = language.callback_charge(folded)
        if charge:
            findings.flag("lure.callback", f"no link, but a charge and a number to ring: {charge}")


def _link_lead_ins(parsed: ParsedMessage, findings: Findings) -> list[str]:
    """The words each link is offered with (`links.lead_in`): past the opening of a long text,
    a prize, payment, credential or pressure phrase still counts there, where the message asks
    the reader to act (see `language._OPENING_ONLY`)."""
    limit = findings.limits.max_html_bytes
    plain = [lead for text in parsed.texts for lead in links.lead_ins(text[:limit])]
    return [*findings.link_lead_ins, *plain]


def _first_contact(
    message: Message, folded: str, context: AnalysisContext, findings: Findings
) -> None:
    """A sender the organisation has never dealt with: weak alone (every new correspondent is
    one); with a recruiter's, think tank's or journalist's persona in one-to-one mail it is the
    cold approach NPSA warns of, and with per-recipient link tokens and a 1x1 image it is
    someone finding out who reads and who clicks before the real approach."""
    obs = findings.observables
    domain = obs.sender.rpartition("@")[2] if "@" in obs.sender else ""
    if context.known_domains is None or not domain:
        return
    org = registrable_domain(domain)
    directory = context.directory
    if obs.sender in directory.addresses or domains.is_protected(domain, context.protected_domains):
        return
    if not domains.is_freemail(domain) and (
        org in directory.domains or org in context.known_domains
    ):
        return
    where = f"free-mail address {obs.sender}" if domains.is_freemail(domain) else org
    findings.flag(
        "sender.first_contact", f"{where}: in no earlier report, and nobody in the directory"
    )
    who = language.persona(obs.sender_name, folded)
    if who and "sender.bulk" not in findings.evidence:
        findings.flag("approach.cold_persona", f"first message from {where}, writing as {who!r}")
    tracked = findings.evidence.keys() & {"tracking.pixel", "tracking.recipient_token"}
    if len(tracked) == 2:
        findings.flag(
            "recon.first_contact_tracking",
            f"{where} has never written before, yet tracks who opens the message (a 1x1 image) "
            "and who clicks (a token for each recipient in its links)",
        )


def _password_lure(parsed: ParsedMessage, findings: Findings) -> None:
    """ "The password is ..." next to an archive or document is how encrypted payloads travel
    (and Star Blizzard's encrypted-PDF-then-decryptor lure); alone it is a mailman reminder."""
    if "lure.password" not in findings.evidence:
        return
    locked = {"zip", "7z", "rar", "pdf", "doc", "docx", "xls", "xlsx", "iso", "img"}
    names = [a.filename for a in parsed.attachments if attachments.extension(a.filename) in locked]
    if names:
        findings.flag("attachment.password_lure", f"password language with {', '.join(names[:3])}")


# Lures a web site's form reply has no business repeating.
_ECHOED = (
    "lure.prize",
    "lure.crypto",
    "lure.gambling",
    "lure.scam_offer",
    "lure.advance_fee",
    "lure.credential",
)


def _form_echo(folded: str, findings: Findings) -> None:
    """A site's automatic "thank you for contacting us" that repeats a prize, crypto or
    credential lure: someone typed the lure into the form with the reader's address."""
    lures = [code for code in _ECHOED if code in findings.evidence]
    reply = language.form_reply(folded) if lures else None
    if reply:
        findings.flag(
            "lure.form_echo",
            f"a contact form's reply ({reply!r}) repeats a lure ({', '.join(lures)})",
        )


def _favour_request(parsed: ParsedMessage, folded: str, findings: Findings) -> None:
    """A new thread of a few words asking for help or a favour, with no link or attachment:
    nothing to check, which is the point (CEO fraud's first message). Not in list mail: a
    "Help needed" post to a discussion list asks everyone, and it is not one person's boss."""
    obs = findings.observables
    if obs.urls or parsed.attachments or raw_header(parsed.message, "In-Reply-To"):
        return
    if "sender.bulk" in findings.evidence:
        return
    words = language.favour_request(folded)
    if words:
        findings.flag("lure.favour_request", f"a few words only, asking {words!r}")


def _result(findings: Findings) -> Analysis:
    found = score.indicators(findings)
    total = score.total(found)
    return Analysis(
        verdict=score.verdict(total),
        score=total,
        indicators=found,
        observables=findings.observables,
        truncated=findings.truncated,
        texts=findings.texts,
    )


__all__ = [
    "analyse",
    "looks_like_email",
    "Analysis",
    "AnalysisContext",
    "Limits",
    "Observables",
    "Verdict",
]

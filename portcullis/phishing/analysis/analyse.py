"""The entry point: `analyse(raw)` -> `Analysis`. Nothing raised inside escapes."""

from __future__ import annotations

from . import attachments, images, language, links, score, sender, simulation
from .model import Analysis, AnalysisContext, Findings, Limits, Observables, Verdict
from .msg import is_msg, is_outlook_item, parse_msg
from .parse import ParsedMessage, parse_message
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
    stages = (_links, _attachments, _language)
    for stage in stages:
        if findings.deadline.expired():
            findings.flag("limit.time", f"stopped before {stage.__name__.strip('_')}")
            break
        stage(parsed, context, findings)
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
    parsed_text = " ".join(facts.text)
    findings.html_text.append(parsed_text)
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
    language.check_language(texts, findings)
    language.check_obfuscation([obs.sender_name, *texts], findings)
    language.check_disguised([obs.sender_name, obs.subject, *texts[1:]], findings)
    language.check_placeholders([*texts, *findings.hidden_text], findings)
    _password_lure(parsed, findings)


def _password_lure(parsed: ParsedMessage, findings: Findings) -> None:
    """ "The password is ..." next to an archive or document is how encrypted payloads travel
    (and Star Blizzard's encrypted-PDF-then-decryptor lure); alone it is a mailman reminder."""
    if "lure.password" not in findings.evidence:
        return
    locked = {"zip", "7z", "rar", "pdf", "doc", "docx", "xls", "xlsx", "iso", "img"}
    names = [a.filename for a in parsed.attachments if attachments.extension(a.filename) in locked]
    if names:
        findings.flag("attachment.password_lure", f"password language with {', '.join(names[:3])}")


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

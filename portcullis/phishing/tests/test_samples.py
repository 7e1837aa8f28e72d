"""Each sample file, named by its shape, raises the indicator that shape calls for."""

from __future__ import annotations

import io
import re

import segno

from portcullis.phishing.analysis import AnalysisContext, Verdict, analyse
from portcullis.phishing.analysis.alerts import with_alert_matches

from .helpers import CONTEXT, analyse_sample


def test_it_flags_a_colleague_impersonated_from_freemail() -> None:
    result = analyse_sample("impersonates_colleague_freemail.eml")
    assert "sender.impersonates_person" in result.codes()
    evidence = next(i for i in result.indicators if i.code == "sender.impersonates_person")
    assert "free-mail copy" in evidence.evidence
    assert result.verdict == Verdict.MALICIOUS


def test_it_flags_a_tracking_pixel_from_a_lookalike_domain() -> None:
    result = analyse_sample("tracking_pixel_lookalike_domain.eml")
    assert {"tracking.pixel", "domain.lookalike"} <= result.codes()
    assert result.verdict != Verdict.CLEAN
    assert "parliament-uk.org" in result.observables.domains


def test_it_flags_a_password_protected_attachment() -> None:
    result = analyse_sample("password_protected_attachment.eml")
    assert {"attachment.encrypted_archive", "attachment.password_lure"} <= result.codes()
    assert result.observables.attachments[0].filename == "minutes.zip"
    assert len(result.observables.attachments[0].sha256) == 64


def test_it_finds_nothing_in_an_ordinary_colleague_message() -> None:
    result = analyse_sample("no_indicators.eml")
    assert result.verdict == Verdict.CLEAN
    assert [i for i in result.indicators if i.weight > 0] == []


def test_it_flags_a_homoglyph_domain_and_credential_form() -> None:
    result = analyse_sample("homoglyph_domain_credential_form.eml")
    expected = {"domain.lookalike", "link.credential_form", "link.ip_host", "link.shortener"}
    assert expected <= result.codes()
    assert "link.text_mismatch" in result.codes()


def test_it_flags_a_macro_enabled_document() -> None:
    assert "attachment.macro" in analyse_sample("macro_enabled_document.eml").codes()


def test_it_reads_portuguese_lures() -> None:
    result = analyse_sample("portuguese_credential_lure.eml")
    assert {"lure.credential", "lure.urgency", "sender.role_name_freemail"} <= result.codes()
    assert result.verdict != Verdict.CLEAN


def test_it_flags_our_domain_failing_authentication() -> None:
    result = analyse_sample("spoofed_protected_domain.eml")
    assert {"auth.protected_domain_unauthenticated", "auth.dmarc_fail"} <= result.codes()


def test_free_mail_alone_is_not_an_indicator() -> None:
    raw = (
        b"From: Ann Voter <ann.voter@gmail.com>\r\nSubject: Bus route 42\r\n"
        b"Message-ID: <v1@gmail.com>\r\n\r\nDear MP, the 42 bus no longer stops at our school.\r\n"
    )
    result = analyse(raw, CONTEXT)
    assert result.verdict == Verdict.CLEAN
    assert [i for i in result.indicators if i.weight > 0] == []


def test_it_decodes_a_qr_code_and_follows_its_link() -> None:
    png = io.BytesIO()
    segno.make("https://wa-join.example-group.top/invite/abc", error="m").save(
        png, kind="png", scale=6
    )
    raw = _with_attachment(b"image/png", b"join.png", png.getvalue())
    result = analyse(raw, CONTEXT)
    assert "qr.code" in result.codes()
    assert result.observables.qr_payloads == ["https://wa-join.example-group.top/invite/abc"]
    assert "https://wa-join.example-group.top/invite/abc" in result.observables.urls


def test_it_flags_an_encrypted_pdf() -> None:
    pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer << /Encrypt 5 0 R >>\n%%EOF\n"
    result = analyse(_with_attachment(b"application/pdf", b"report.pdf", pdf), CONTEXT)
    assert "attachment.encrypted_pdf" in result.codes()


def test_an_alert_match_is_explained_and_makes_a_clean_message_suspicious() -> None:
    raw = (
        b"From: Amanda Qiu <amanda@br-yr.example>\r\nSubject: An opportunity\r\n\r\n"
        b"Would you write a short paper for my client?\r\n"
    )
    stored = analyse(raw, CONTEXT).to_dict()
    assert stored["verdict"] == Verdict.CLEAN
    evidence = ["sender name 'Amanda Qiu' matches Amanda Qiu in alert A-2025-11"]
    shown = with_alert_matches(stored, evidence)
    assert shown["verdict"] == Verdict.SUSPICIOUS
    assert shown["score"] > stored["score"]
    [match] = [i for i in shown["indicators"] if i["code"] == "alert.match"]
    assert match["evidence"] == evidence[0] and match["severity"] == "high"
    assert with_alert_matches(stored, []) == stored


def test_an_alert_match_beside_other_evidence_is_malicious() -> None:
    stored = analyse_sample("app_hosting_sender.eml").to_dict()  # clean, 3.75
    shown = with_alert_matches(stored, ["desk@nropnews.com is in alert A-2025-12"])
    assert shown["verdict"] == Verdict.MALICIOUS


def test_it_reports_the_simulation_token() -> None:
    context = AnalysisContext(
        simulation_host="sim.portcullis.test",
        simulation_token_pattern=re.compile(r"[?&]t=([A-Za-z0-9]+)"),
    )
    raw = b"From: IT <it@example.org>\r\n\r\nhttps://sim.portcullis.test/l?t=Ab12Cd34\r\n"
    result = analyse(raw, context)
    assert result.observables.simulation_token == "Ab12Cd34"
    assert "simulation.token" in result.codes()


def test_the_result_serialises_to_plain_data() -> None:
    data = analyse_sample("tracking_pixel_lookalike_domain.eml").to_dict()
    assert data["verdict"] in ("malicious", "suspicious")
    assert {"code", "title", "weight", "severity", "evidence"} <= set(data["indicators"][0])


def _with_attachment(content_type: bytes, name: bytes, data: bytes) -> bytes:
    import base64

    body = base64.encodebytes(data)
    return (
        b"From: Someone <someone@example.org>\r\nSubject: see attached\r\n"
        b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n'
        b"--b1\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n"
        b"--b1\r\nContent-Type: "
        + content_type
        + b'\r\nContent-Disposition: attachment; filename="'
        + name
        + b'"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
        + body
        + b"--b1--\r\n"
    )

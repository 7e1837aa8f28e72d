"""The standard library of simulation lures for a legislature, modelled on real campaigns
against parliamentarians (DOMAIN.md §6): impersonated colleagues and officials, recruiters,
journalists, IT notices, a WhatsApp-group QR code, constituency casework, an "encrypted" document.

Placeholders: {{ first_name }}, {{ full_name }}, {{ office }}, {{ link }}, {{ pixel }} (HTML
only), {{ qr_code }} (HTML only). Every sender domain is under .example, so a library lure can
never impersonate a real organisation's domain by accident.
"""

from __future__ import annotations

from typing import Any

LANDING_PAGES: list[dict[str, Any]] = [
    {
        "slug": "account-sign-in",
        "name": "Work account sign-in",
        "kind": "sign_in",
        "brand": "Parliamentary Digital Service",
        "heading": "Sign in to continue",
        "intro": "Your session has expired. Sign in with your work account to see this item.",
        "continue_label": "Continue to sign in",
        "fields": ["E-mail address", "Password"],
        "submit_label": "Sign in",
    },
    {
        "slug": "secure-document",
        "name": "Secure document viewer",
        "kind": "document",
        "brand": "SecureShare Viewer",
        "heading": "This document is protected",
        "intro": "The sender protected this document. Confirm your identity to open it.",
        "continue_label": "Open document",
        "fields": ["E-mail address", "Password"],
        "submit_label": "Verify and open",
    },
    {
        "slug": "device-link",
        "name": "Messaging app: link a device",
        "kind": "form",
        "brand": "Group invitation",
        "heading": "Link your device to join the group",
        "intro": "Enter your mobile number and the code we send you to join the group.",
        "continue_label": "Join group",
        "fields": ["Mobile number", "Verification code"],
        "submit_label": "Link device",
    },
    {
        "slug": "event-rsvp",
        "name": "Event RSVP form",
        "kind": "form",
        "brand": "Invitation",
        "heading": "Confirm your attendance",
        "intro": "Please confirm your details for the guest list and security clearance.",
        "continue_label": "RSVP",
        "fields": ["Full name", "E-mail address", "Mobile number", "Date of birth"],
        "submit_label": "Confirm attendance",
    },
]

_FOOT = '<p style="font-size:11px;color:#777">{{ pixel }}</p>'


def _html(*paragraphs: str, button: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    if button:
        body += (
            '<p><a href="{{ link }}" style="background:#0b5cad;color:#fff;padding:10px 18px;'
            f'text-decoration:none;border-radius:3px">{button}</a></p>'
        )
    return f'<html><body style="font-family:Arial,sans-serif">{body}{_FOOT}</body></html>'


LURES: list[dict[str, Any]] = [
    {
        "slug": "colleague-shared-document",
        "name": "Colleague shares a protected document",
        "from_name": "Committee Clerk (via Docs)",
        "from_address": "sharing@parliament-docs.example",
        "subject": "Shared with you: Committee briefing – draft (OFFICIAL-SENSITIVE)",
        "landing": "account-sign-in",
        "html": _html(
            "Hi {{ first_name }},",
            "I've shared the draft briefing for Thursday's session with you. Could you look at "
            "section 3 before the pre-meeting? It is restricted, so please don't forward it.",
            button="Open the document",
        ),
        "text": "Hi {{ first_name }},\n\nI've shared the draft briefing for Thursday's session "
        "with you. Could you look at section 3 before the pre-meeting? It is restricted, so "
        "please don't forward it.\n\nOpen the document: {{ link }}\n",
        "signs": [
            "The sharing service is not the one the legislature uses (parliament-docs.example).",
            "A colleague's name in the display name, but not their address.",
            "Restricted material sent by a link that asks you to sign in again.",
        ],
    },
    {
        "slug": "recruiter-approach",
        "name": "Recruiter with a confidential role",
        "from_name": "Helen Marsh, Meridian Talent Partners",
        "from_address": "helen.marsh@meridian-talent.example",
        "subject": "Confidential: senior policy role – your experience stood out",
        "landing": "secure-document",
        "html": _html(
            "Dear {{ first_name }},",
            "I'm retained by an international consultancy building a government-relations team. "
            "Your work in {{ office }} stood out. The role is well paid and flexible; the client "
            "would value your insight into current committee priorities.",
            "The role description is confidential; you can read it here.",
            button="View role description",
        ),
        "text": "Dear {{ first_name }},\n\nI'm retained by an international consultancy building "
        "a government-relations team. Your work in {{ office }} stood out. The role is well paid "
        "and flexible; the client would value your insight into current committee priorities."
        "\n\nRole description (confidential): {{ link }}\n\nHelen Marsh\n",
        "signs": [
            "An unsolicited, flattering approach that asks about committee priorities.",
            "A 'confidential' document behind a link that wants your password.",
            "Recruitment approaches are a known route for hostile states (report them).",
        ],
    },
    {
        "slug": "journalist-interview",
        "name": "Journalist's interview request",
        "from_name": "Daniel Reyes, The Westminster Chronicle",
        "from_address": "d.reyes@westminster-chronicle.example",
        "subject": "Interview request: your view on the foreign-influence bill",
        "landing": "secure-document",
        "html": _html(
            "Dear {{ full_name }},",
            "I'm writing a piece on the foreign-influence bill for Sunday's edition and would "
            "very much like to include your view. I've put my questions in a short document; "
            "could you reply by 5pm tomorrow?",
            button="Read the questions",
        ),
        "text": "Dear {{ full_name }},\n\nI'm writing a piece on the foreign-influence bill for "
        "Sunday's edition and would very much like to include your view. My questions: {{ link }}"
        "\n\nCould you reply by 5pm tomorrow?\n\nDaniel Reyes\n",
        "signs": [
            "A deadline to hurry you.",
            "Questions in a linked document rather than in the e-mail itself.",
            "Check a journalist through the press office before opening anything.",
        ],
    },
    {
        "slug": "it-password-expiry",
        "name": "IT: password expires today",
        "from_name": "IT Service Desk",
        "from_address": "servicedesk@parliament-it-support.example",
        "subject": "Action required: your network password expires in 24 hours",
        "landing": "account-sign-in",
        "html": _html(
            "Dear user,",
            "Your network password expires in <b>24 hours</b>. To keep access to e-mail and "
            "shared drives, confirm your current password now.",
            button="Keep my password",
        ),
        "text": "Dear user,\n\nYour network password expires in 24 hours. To keep access to "
        "e-mail and shared drives, confirm your current password now: {{ link }}\n\n"
        "IT Service Desk\n",
        "signs": [
            "The IT service desk never asks you to confirm your password by e-mail.",
            "Generic greeting ('Dear user') and a 24-hour threat.",
            "The sender's domain is not the legislature's.",
        ],
    },
    {
        "slug": "whatsapp-group-qr",
        "name": "Join our WhatsApp group (QR code)",
        "from_name": "Office of the Ambassador",
        "from_address": "office@embassy-outreach.example",
        "subject": "Invitation: cross-party WhatsApp group on Indo-Pacific security",
        "landing": "device-link",
        "html": _html(
            "Dear {{ first_name }},",
            "Following last week's roundtable, colleagues from several parliaments have formed "
            "a WhatsApp group to share updates. Scan the code with your phone to join.",
            "{{ qr_code }}",
            'If the code does not work, <a href="{{ link }}">join here</a>.',
        ),
        "text": "Dear {{ first_name }},\n\nFollowing last week's roundtable, colleagues from "
        "several parliaments have formed a WhatsApp group to share updates. Join here: {{ link }}"
        "\n",
        "signs": [
            "A QR code that 'links a device' gives the sender your messaging account.",
            "Star Blizzard used exactly this lure against officials in 2024.",
            "An official invitation from a domain you cannot verify.",
        ],
    },
    {
        "slug": "constituency-casework",
        "name": "Urgent constituency casework",
        "from_name": "Margaret Doyle",
        "from_address": "margaret.doyle1958@mailbox-uk.example",
        "subject": "URGENT – my son's immigration appeal, documents attached",
        "landing": "secure-document",
        "html": _html(
            "Dear {{ full_name }},",
            "I am a constituent and desperate for help: my son's appeal is heard on Monday. "
            "The solicitor's letters are too large to attach so I have uploaded them here.",
            "Please, I don't know who else to ask.",
            button="View documents",
        ),
        "text": "Dear {{ full_name }},\n\nI am a constituent and desperate for help: my son's "
        "appeal is heard on Monday. The solicitor's letters are too large to attach so I have "
        "uploaded them here: {{ link }}\n\nPlease, I don't know who else to ask.\n",
        "signs": [
            "Emotional pressure and urgency.",
            "Documents 'too large to attach' behind a sign-in page.",
            "Ask for documents as attachments through the casework system instead.",
        ],
    },
    {
        "slug": "encrypted-evidence",
        "name": "Encrypted evidence and a 'viewer'",
        "from_name": "Dr Samuel Kerr",
        "from_address": "s.kerr@policy-institute.example",
        "subject": "Written evidence for the inquiry (encrypted copy)",
        "landing": "secure-document",
        "html": _html(
            "Dear {{ first_name }},",
            "Please find our written evidence for the inquiry. Because of its sensitivity the "
            "file is encrypted; open it with the secure viewer below.",
            button="Open with secure viewer",
        ),
        "text": "Dear {{ first_name }},\n\nPlease find our written evidence for the inquiry. "
        "Because of its sensitivity the file is encrypted; open it with the secure viewer: "
        "{{ link }}\n\nDr Samuel Kerr\n",
        "signs": [
            "An 'encrypted' document that needs a special viewer or decryptor.",
            "This is how the SPICA backdoor was delivered to targets in 2024.",
            "Inquiry evidence arrives through the committee's own process.",
        ],
    },
    {
        "slug": "embassy-reception",
        "name": "Embassy reception RSVP",
        "from_name": "Protocol Office",
        "from_address": "protocol@embassy-events.example",
        "subject": "Invitation: reception in honour of the parliamentary friendship group",
        "landing": "event-rsvp",
        "html": _html(
            "Dear {{ full_name }},",
            "The Ambassador requests the pleasure of your company at a reception on the 14th. "
            "For security reasons guests must register in advance.",
            button="Register",
        ),
        "text": "Dear {{ full_name }},\n\nThe Ambassador requests the pleasure of your company at "
        "a reception on the 14th. For security reasons guests must register in advance: "
        "{{ link }}\n\nProtocol Office\n",
        "signs": [
            "Asks for date of birth and mobile number: useful for profiling you.",
            "Hospitality from a foreign state may need registering; check with the security team.",
        ],
    },
    {
        "slug": "expenses-query",
        "name": "Expenses claim query",
        "from_name": "Expenses Compliance",
        "from_address": "claims@ipsa-compliance.example",
        "subject": "Your expense claim has been flagged – respond within 48 hours",
        "landing": "account-sign-in",
        "html": _html(
            "Dear {{ first_name }},",
            "A claim submitted by {{ office }} has been flagged for review. Sign in to the claims "
            "portal within 48 hours to avoid the claim being published as rejected.",
            button="Review the claim",
        ),
        "text": "Dear {{ first_name }},\n\nA claim submitted by {{ office }} has been flagged for "
        "review. Sign in to the claims portal within 48 hours to avoid the claim being published "
        "as rejected: {{ link }}\n",
        "signs": [
            "A reputational threat and a deadline.",
            "The regulator's real portal is reached from your bookmarks, not from an e-mail link.",
        ],
    },
]

# ruff: noqa: E501 - course prose reads better unwrapped
"""The starter catalogue, written for members of a legislature and their staff.

Sources: NPSA "Protecting our Democratic Institutions" (Oct 2025) and "Think Before You Link";
the MI5 espionage alert to Parliament (Nov 2025); the NCSC/partners Star Blizzard advisory
(Dec 2023); House security arrangements (see docs/DOMAIN.md sections 3, 4 and 6).

Each course: (slug, title, summary, minutes, questions per attempt, modules, questions).
A module is (title, body, guidance file name or "", guidance text or "").
A question is (text, kind, explanation, [(choice, correct), ...]).
"""

from __future__ import annotations

from typing import Any

S, M = "single", "multiple"

SECURITY_ESSENTIALS: dict[str, Any] = {
    "slug": "security-essentials",
    "title": "Security essentials",
    "summary": "The annual course for every member and member of staff: why you are a target, "
    "the BEST principles, and how to report anything that does not feel right.",
    "minutes": 25,
    "per_attempt": 5,
    "modules": [
        (
            "Why you are a target",
            """Hostile states and criminals are interested in you not because of classified papers, but because of what you can reach and whom you can influence. NPSA's guidance for parliamentarians lists three reasons people in your position are targeted:

- **access** to information, including privileged or insider knowledge that is not public;
- **influence** over policy and public opinion;
- **relationships** with others who are of interest.

This applies to members and to staff alike: a caseworker's inbox or a researcher's contacts can be worth as much as a member's. China has been described by MI5 as having "a low threshold" for the information it values.

## Routes in
The usual routes are overseas travel, online activity (professional networking above all) and money, including donations. A contact that starts out genuine can later be turned.""",
            "",
            "",
        ),
        (
            "BEST: four habits",
            """NPSA sums up its advice as **BEST**:

- **Be alert**: notice odd social interactions, repeated requests to meet privately, introductions that seem out of place, flattery, and offers that look too good to be true.
- **Enhance your security overseas**: see the Overseas travel course.
- **Secure your information**, on paper and digitally: phishing-resistant sign-in, a separate password for e-mail, no automatic forwarding.
- **Trust your instincts**: if something does not feel right, it is worth reporting.

None of this needs you to decide whether someone is a spy. Your job is to notice and report; the security team joins the dots across many reports.""",
            "best-principles.txt",
            """BEST - keep this by your desk
B  Be alert: flattery, urgency, private meetings, offers too good to be true.
E  Enhance your security overseas: take only what you need; never leave devices unattended.
S  Secure your information: MFA on every account, unique e-mail password, no auto-forwarding.
T  Trust your instincts: if it does not feel right, report it in Portcullis.
""",
        ),
        (
            "Reporting: recognise, resist, report",
            """Report suspicious approaches, odd e-mails and anything that worries you through Portcullis ("Report an approach"), or tell the security team directly. Report even if you are not sure: a report that turns out to be harmless costs minutes; one that links to others can stop a campaign.

- Do not reply to, forward or "test" a suspicious message first.
- Keep the evidence: the message, the profile link, the business card, notes of what was asked.
- If you are in danger, call 999 first.""",
            "",
            "",
        ),
    ],
    "questions": [
        (
            "Why might a hostile state be interested in a caseworker who never sees classified material?",
            S,
            "Access to non-public information, influence and relationships all matter; classification does not.",
            [
                ("They are not: only people with security clearances are targeted", False),
                (
                    "Because of the non-public information, influence and contacts they can reach",
                    True,
                ),
                ("Only because they might have a parliamentary pass", False),
            ],
        ),
        (
            "What does the B in NPSA's BEST principles stand for?",
            S,
            "Be alert: notice flattery, urgency, odd introductions and requests to meet privately.",
            [("Be alert", True), ("Block senders", False), ("Back up your files", False)],
        ),
        (
            "Which of these are warning signs NPSA lists?",
            M,
            "Overt flattery, pressure for a quick reply and frequent requests to meet privately are all listed.",
            [
                ("Overt flattery", True),
                ("Pressure for a quick reply", True),
                ("Frequent requests to meet privately", True),
                ("An invitation sent through the official committee office", False),
            ],
        ),
        (
            "You are not sure whether an approach is suspicious. What should you do?",
            S,
            "Report it. The security team decides; harmless reports cost little and related ones reveal campaigns.",
            [
                ("Wait until you are certain before reporting", False),
                ("Report it anyway and keep the evidence", True),
                ("Reply to ask the sender whether they are genuine", False),
            ],
        ),
        (
            "Before reporting a suspicious e-mail, should you forward it to colleagues to ask their view?",
            S,
            "No: forwarding spreads the risk. Report it and let the security team warn others.",
            [("Yes, so they are warned", False), ("No, report it without forwarding it", True)],
        ),
        (
            "A contact you have known for years starts asking for internal briefing notes. What is true?",
            S,
            "A contact that starts genuine can turn malign, or be used as a proxy. Report the change in behaviour.",
            [
                ("Long-standing contacts cannot be a risk", False),
                ("A genuine contact can later be turned or used as a proxy; report it", True),
                ("Send the notes if they are not marked secret", False),
            ],
        ),
        (
            "When should you call 999 rather than report in Portcullis?",
            S,
            "Immediate danger always goes to the police first.",
            [
                ("When you or someone else is in immediate danger", True),
                ("Never", False),
                ("For every phishing e-mail", False),
            ],
        ),
    ],
}

RECOGNISING_APPROACHES: dict[str, Any] = {
    "slug": "recognising-approaches",
    "title": "Recognising approaches",
    "summary": "Recruiters, journalists, academics, lobbyists and diplomats: how hostile states "
    "use these personas, the NPSA warning signs, and Think Before You Link.",
    "minutes": 20,
    "per_attempt": 5,
    "modules": [
        (
            "Personas and proxies",
            """Intelligence officers may pose as **diplomats, journalists, academics or lobbyists**, or use real people in those fields as proxies. Most people in these roles are exactly who they say they are, which is what makes the cover useful.

In November 2025 MI5 warned both Houses about two LinkedIn profiles, presented as a headhunter at an executive search firm and the co-founder of an internship company, that were used to "conduct outreach at scale" for China's Ministry of State Security, seeking "non-public and insider insights".

## The tradecraft described
- cover companies and outside headhunters;
- offers of paid "consultancy" or reports;
- all-expenses-paid trips abroad;
- payment in cash or cryptocurrency;
- patient, long-term relationship building.""",
            "",
            "",
        ),
        (
            "Warning signs",
            """NPSA's warning signs for people in democratic institutions:

- odd social interactions, and frequent requests to meet privately;
- introductions or engagements that seem out of place;
- approaches that are vague, use overt flattery, press for a quick reply or look too good to be true;
- use of shared interests and social gatherings to build rapport;
- online recruiters or talent scouts offering enticing opportunities.

On professional networks look for: a polished stock-style photo; a vague consultancy or recruitment firm you cannot verify; a senior title on a young profile; pay out of proportion to the task; urgency; haste to move the conversation to another platform.""",
            "",
            "",
        ),
        (
            "Think Before You Link: the 4 Rs",
            """NPSA's Think Before You Link campaign gives four steps for suspicious online approaches:

- **Recognise** the profile and the pattern.
- **Realise** the threat: you are being assessed.
- **Report** it to the security team (in Portcullis: "Report an approach", with the profile address).
- **Remove** the connection, after reporting.

Do not confront the approacher or try to find out more yourself. If you have already shared something, say so in the report: that is what the team needs to help you.""",
            "think-before-you-link.txt",
            """Think Before You Link - the 4 Rs
Recognise the profile: stock photo, vague firm, senior title on a young profile, pay out of proportion.
Realise the threat: you are being assessed for access, influence or contacts.
Report it: Portcullis > Report an approach. Include the profile link and screenshots.
Remove the connection - after you have reported it.
""",
        ),
    ],
    "questions": [
        (
            "Which personas does NPSA say intelligence officers may adopt?",
            M,
            "Diplomats, journalists, academics and lobbyists, or real people in those fields used as proxies.",
            [
                ("Diplomats", True),
                ("Journalists", True),
                ("Academics", True),
                ("Lobbyists", True),
                ("Parliamentary clerks on official business", False),
            ],
        ),
        (
            "A recruiter offers you £2,000 for a short paid report on the 'mood in your party'. What is this?",
            S,
            "Pay out of proportion for insider insight is the pattern in the November 2025 MI5 alert.",
            [
                ("A normal consultancy opportunity", False),
                ("A classic warning sign: report it", True),
                ("Fine if you declare it in the register", False),
            ],
        ),
        (
            "What are the 4 Rs of Think Before You Link, in order?",
            S,
            "Recognise, Realise, Report, Remove: report before removing so the team can see the profile.",
            [
                ("Recognise, Realise, Report, Remove", True),
                ("Remove, Report, Reply, Relax", False),
                ("Reply, Record, Report, Remove", False),
            ],
        ),
        (
            "A new contact quickly asks to move from LinkedIn to an encrypted messaging app. This is:",
            S,
            "Haste to move off-platform is a listed red flag: it escapes the platform's own checks.",
            [("A red flag", True), ("Good security practice", False), ("Irrelevant", False)],
        ),
        (
            "Which of these profile features are red flags?",
            M,
            "Stock-style photo, unverifiable firm and a very senior title on a young profile are all flags.",
            [
                ("Polished stock-style photo", True),
                ("A firm you cannot verify", True),
                ("A very senior title on a young profile", True),
                ("Mutual connections with your colleagues", False),
            ],
        ),
        (
            "You have already had two calls with a 'headhunter' and sent your CV. What now?",
            S,
            "Report it and say what you shared; that lets the team help. Do not investigate yourself.",
            [
                ("Keep quiet: it is embarrassing", False),
                ("Report it, including what you shared", True),
                ("Ask the headhunter for their ID", False),
            ],
        ),
        (
            "An academic you met at a conference invites you on an all-expenses-paid trip abroad. Best response?",
            S,
            "Funded trips are a known route; tell the security team before accepting and declare as required.",
            [
                ("Accept: academic trips are always safe", False),
                ("Speak to the security team before accepting", True),
                ("Accept but do not tell anyone", False),
            ],
        ),
    ],
}

PHISHING: dict[str, Any] = {
    "slug": "phishing-account-security",
    "title": "Phishing and account security",
    "summary": "How state-backed phishing against parliamentarians works, and the account "
    "settings that stop it: MFA, unique passwords, no auto-forwarding, personal accounts.",
    "minutes": 20,
    "per_attempt": 5,
    "modules": [
        (
            "How the attacks work",
            """The group known as Star Blizzard (also SEABORGIUM or COLDRIVER), attributed to Russia's FSB, has targeted UK parliamentarians since at least 2015. Its pattern:

- research you on social and professional networks;
- **impersonate someone you know**, from a look-alike or webmail address;
- send a friendly first message with no link, then a link or a "PDF" once you reply;
- send you to a fake sign-in page that captures your password **and your session**, which defeats ordinary text-message codes;
- go after **personal** webmail, where protections are weaker;
- once in, set up **forwarding rules** that quietly copy your mail to them.

Other campaigns used tracking images: simply opening the e-mail told the sender your location and device.""",
            "",
            "",
        ),
        (
            "Settings that stop it",
            """- Use **multi-factor authentication** on every account, and prefer a phishing-resistant method (a security key or passkey) over text messages.
- Give your e-mail account a **password used nowhere else**; a password manager makes this easy.
- **Turn off automatic forwarding** and check your inbox rules for ones you did not create.
- Protect **personal accounts** too (webmail, WhatsApp, social media): attackers target them because they are weaker.
- Be wary of QR codes in e-mail and of "encrypted" attachments that need a special tool to open.""",
            "",
            "",
        ),
        (
            "If you clicked",
            """Report it at once; speed matters more than embarrassment. The security team will help you change your password, **sign out every session** (a stolen session survives a password change), check forwarding rules and linked devices, and look for the same message in colleagues' mailboxes.

Use "Report a suspicious e-mail" in Portcullis, attaching the message as a file, rather than forwarding it.""",
            "",
            "",
        ),
    ],
    "questions": [
        (
            "An e-mail from a colleague's name comes from a Gmail address and asks you to review a 'shared PDF'. What is the safest step?",
            S,
            "Impersonating known contacts from webmail is Star Blizzard's signature. Check through a known channel and report.",
            [
                ("Open it: you know the colleague", False),
                ("Check with the colleague by a known channel and report the e-mail", True),
                ("Reply asking if it is really them", False),
            ],
        ),
        (
            "Why can a fake sign-in page defeat text-message codes?",
            S,
            "Adversary-in-the-middle kits capture the session cookie after you complete MFA.",
            [
                ("It captures your session after you sign in, not just the password", True),
                ("Text-message codes never work", False),
                ("It cannot: MFA always stops it", False),
            ],
        ),
        (
            "Which settings protect you?",
            M,
            "Phishing-resistant MFA, a unique e-mail password and no auto-forwarding are the baseline.",
            [
                ("Phishing-resistant MFA such as a security key", True),
                ("A password used only for e-mail", True),
                ("Automatic forwarding turned off", True),
                ("The same strong password everywhere", False),
            ],
        ),
        (
            "Why do attackers go after personal accounts?",
            S,
            "Personal webmail and messaging usually have weaker controls and no security team watching.",
            [
                ("Personal accounts usually have weaker protection", True),
                ("They are not interested in personal accounts", False),
                ("Personal accounts hold classified files", False),
            ],
        ),
        (
            "You clicked a link and entered your password. After changing the password, what else is essential?",
            S,
            "Sessions and tokens must be revoked, and forwarding rules checked.",
            [
                ("Nothing else", False),
                ("Sign out all sessions and check forwarding rules, with the security team", True),
                ("Delete the e-mail so nobody knows", False),
            ],
        ),
        (
            "An e-mail with an 'encrypted' PDF says to reply for a decryption tool. This is:",
            S,
            "The 'decryptor' in this lure was malware (the SPICA backdoor). Report it.",
            [
                ("A known lure: the 'tool' is malware", True),
                ("Standard practice for sensitive documents", False),
            ],
        ),
        (
            "How should you report a suspicious e-mail?",
            S,
            "Report it in Portcullis with the message attached; forwarding spreads it and loses headers.",
            [
                ("Forward it to all staff as a warning", False),
                ("Report it in Portcullis with the message attached", True),
                ("Reply to the sender saying you know it is fake", False),
            ],
        ),
    ],
}

TRAVEL: dict[str, Any] = {
    "slug": "overseas-travel",
    "title": "Overseas travel",
    "summary": "Before, during and after a trip abroad: devices, hospitality, approaches and "
    "the debrief.",
    "minutes": 15,
    "per_attempt": 4,
    "modules": [
        (
            "Before you go",
            """Register the trip with the security team in good time; they will brief you on the destination. Take only the devices and information you need; ask whether a loan device is advisable. Update your devices, and make sure you can reach the security team from abroad.

Be cautious about fully-funded invitations: all-expenses-paid trips are a known route for cultivation. Declare hospitality as your House's rules require.""",
            "travel-checklist.txt",
            """Overseas travel checklist
[ ] Trip registered with the security team; briefing done
[ ] Only the devices and papers I need; loan device considered
[ ] Devices updated; MFA working without my usual SIM if needed
[ ] Emergency contacts saved offline
[ ] Hospitality and funding declared as the rules require
After: debrief booked; anything odd reported in Portcullis
""",
        ),
        (
            "While you are away",
            """- Never leave phones or laptops unattended, including in hotel rooms and safes.
- Assume conversations in official cars, hotels and at receptions may be overheard.
- Be wary of unexpected gifts, especially electronic ones such as USB sticks.
- Notice approaches: flattery, private meetings, requests for non-public information.
- If a device is taken, even briefly, treat it as compromised and tell the security team.""",
            "",
            "",
        ),
        (
            "When you come back",
            """Attend the debrief and report anything unusual, even if it seemed minor at the time: a contact who later gets in touch, a device that behaved oddly, an introduction that seemed arranged. A loan device is returned for checking.""",
            "",
            "",
        ),
    ],
    "questions": [
        (
            "Where should your laptop be while you are at dinner on an overseas trip?",
            S,
            "Keep devices with you: hotel rooms and safes are not secure against capable adversaries.",
            [
                ("In the hotel safe", False),
                ("With you", True),
                ("In the hotel room, switched off", False),
            ],
        ),
        (
            "A host gives you a branded USB stick with 'conference papers'. What do you do?",
            S,
            "Do not plug in gifted electronics; hand it to the security team.",
            [
                ("Plug it in to read the papers", False),
                ("Do not use it; give it to the security team", True),
            ],
        ),
        (
            "Your phone was taken away 'for security' at a venue for ten minutes. What follows?",
            S,
            "Treat it as compromised and tell the security team.",
            [
                ("Nothing, it was returned", False),
                ("Treat it as compromised and tell the security team", True),
            ],
        ),
        (
            "Which should you do before travelling?",
            M,
            "Register the trip, take only what you need, and consider a loan device.",
            [
                ("Register the trip with the security team", True),
                ("Take only the devices and information you need", True),
                ("Consider a loan device", True),
                ("Turn off MFA so you can sign in abroad", False),
            ],
        ),
        (
            "After the trip, someone you met at a reception messages you asking for a private meeting. This is:",
            S,
            "Follow-up contact and requests to meet privately are warning signs; report them.",
            [("Worth reporting", True), ("Normal networking, no need to report", False)],
        ),
    ],
}

VISITORS: dict[str, Any] = {
    "slug": "visitors-and-the-estate",
    "title": "Visitors and the estate",
    "summary": "Passes, escorting visitors, tailgating and what to challenge.",
    "minutes": 10,
    "per_attempt": 4,
    "modules": [
        (
            "Passes and escorting",
            """Access to the estate is limited to passholders. A visitor in a non-public area must be escorted by a passholder, who is responsible for them throughout. A passholder may escort up to six guests at a time. Every visitor is searched and screened and must wear a visitor pass.

- Book visitors in advance so they can be checked.
- Meet them at the entrance and stay with them; do not hand them on to someone else without telling the security team.
- Wear your pass visibly on the estate and keep it out of sight off it.""",
            "",
            "",
        ),
        (
            "Tailgating and challenging",
            """Do not let anyone follow you through a pass-controlled door, however friendly or busy they seem. If someone without a visible pass is in a non-public area, ask politely whether you can help them find their host, and tell security if you are not satisfied. Report a lost or stolen pass straight away.""",
            "",
            "",
        ),
    ],
    "questions": [
        (
            "How many guests may one passholder escort at a time?",
            S,
            "Up to six.",
            [("Two", False), ("Up to six", True), ("As many as they like", False)],
        ),
        (
            "Who is responsible for a visitor in a non-public area?",
            S,
            "The escorting passholder, throughout the visit.",
            [
                ("The visitor", False),
                ("The escorting passholder", True),
                ("The gate officer who let them in", False),
            ],
        ),
        (
            "Someone without a pass asks you to hold the door as they 'forgot theirs'. You:",
            S,
            "Do not let them tailgate; direct them to the pass office or security.",
            [
                ("Hold the door: they look like staff", False),
                ("Politely refuse and direct them to security or the pass office", True),
            ],
        ),
        (
            "When should you report a lost pass?",
            S,
            "At once: a lost pass is a way in.",
            [
                ("Straight away", True),
                ("At the end of the month", False),
                ("Only if it is not found in a week", False),
            ],
        ),
        (
            "Where should your pass be when you leave the estate?",
            S,
            "Out of sight: a visible pass identifies you as a target.",
            [("Out of sight", True), ("Clearly visible", False)],
        ),
    ],
}

INCIDENTS: dict[str, Any] = {
    "slug": "incident-response",
    "title": "What to do in an incident",
    "summary": "Account compromise, a lost device, a threatening individual, a suspicious "
    "approach: the first steps, and who to call.",
    "minutes": 15,
    "per_attempt": 4,
    "modules": [
        (
            "The first minutes",
            """- **Immediate danger**: call 999, then tell the security team.
- **Threats at home or in the constituency office**: call the police, then the security team; your local force has a single point of contact for members under Operation Bridger.
- **An account may be compromised**: report it in Portcullis at once. Do not delete anything.
- **A device is lost or stolen**: report it immediately so that it can be locked and wiped and sessions revoked.
- **A suspicious approach**: write down what happened while you remember, keep messages, and report it.""",
            "incident-card.txt",
            """Incident card
Immediate danger: 999
Threat at home/constituency office: police, then the security team
Account compromised: report in Portcullis now; do not delete anything
Device lost or stolen: report now; it will be locked and wiped
Suspicious approach: note it down, keep messages, report it
""",
        ),
        (
            "SOS devices",
            """Every member is issued an SOS (lone-worker) device and funded staff can have one too. Carry it, keep it charged, and **test it when asked**: alarms that have not been tested are a false comfort. Return it when you leave.""",
            "",
            "",
        ),
    ],
    "questions": [
        (
            "Someone is threatening staff in the constituency office right now. First call:",
            S,
            "Immediate danger means 999 first.",
            [("999", True), ("The security team's e-mail", False), ("The office manager", False)],
        ),
        (
            "Your work phone is lost. When do you report it?",
            S,
            "Immediately, so it can be locked and wiped and sessions revoked.",
            [("Immediately", True), ("After searching for a few days", False)],
        ),
        (
            "You think your e-mail account is compromised. Should you delete suspicious messages first?",
            S,
            "No: keep the evidence; report straight away.",
            [("Yes, clean up first", False), ("No, report it and keep everything", True)],
        ),
        (
            "What should you do with your SOS device?",
            M,
            "Carry it, keep it charged, test it when asked, return it when you leave.",
            [
                ("Carry it and keep it charged", True),
                ("Test it when asked", True),
                ("Return it when you leave", True),
                ("Lend it to a colleague", False),
            ],
        ),
        (
            "After a suspicious approach at an event, what helps most?",
            S,
            "Notes made at the time and kept messages are the evidence the team needs.",
            [
                ("Writing down what happened and reporting it", True),
                ("Confronting the person", False),
            ],
        ),
    ],
}

ALERT_HANDLING: dict[str, Any] = {
    "slug": "alert-handling",
    "title": "Alert handling",
    "summary": "For security officers: triaging reports, raising alerts under TLP, and "
    "responsible disclosure of training non-completion.",
    "minutes": 30,
    "per_attempt": 4,
    "modules": [
        (
            "Triage and alerts",
            """Every report gets a response to the reporter. Link reports that share an observable into a campaign; raise an alert when a pattern is clear, with indicators that feed every later check. Mark each alert with its TLP: CLEAR, GREEN, AMBER, AMBER+STRICT or RED, and share with parties only as the marking allows.""",
            "",
            "",
        ),
        (
            "Disclosure, done responsibly",
            """The non-completion list names people. Before anyone is named: the grace period has passed; recorded exemptions (illness, leave) are excluded; the person has been told and given a window to complete or appeal; a second officer approves. Every step is in the ledger.""",
            "",
            "",
        ),
    ],
    "questions": [
        (
            "Which TLP marking allows sharing only within the recipient organisation and its clients?",
            S,
            "AMBER: limited disclosure to the organisation and its clients (AMBER+STRICT: organisation only).",
            [("AMBER", True), ("CLEAR", False), ("GREEN", False)],
        ),
        (
            "Before a person appears on a published non-completion list, which must have happened?",
            M,
            "Grace period, notice with a window, and approval by a second officer.",
            [
                ("Their grace period has passed", True),
                ("They were told and given a window to complete or appeal", True),
                ("A second officer approved the list", True),
                ("Their office manager agreed", False),
            ],
        ),
        (
            "Two reports share the same recruiter e-mail address. What should you do?",
            S,
            "Link them into a campaign; shared observables are how patterns emerge.",
            [("Link them into a campaign", True), ("Close the second as a duplicate", False)],
        ),
        (
            "A person on the draft list was on sick leave with a recorded exemption. They are:",
            S,
            "Exempt people never appear on the list.",
            [("Left off the list", True), ("Listed with a note", False)],
        ),
        (
            "Who should hear back after a report?",
            S,
            "The reporter always gets feedback; it keeps people reporting.",
            [("The reporter", True), ("No one", False)],
        ),
    ],
}

COURSES = [
    SECURITY_ESSENTIALS,
    RECOGNISING_APPROACHES,
    PHISHING,
    TRAVEL,
    VISITORS,
    INCIDENTS,
    ALERT_HANDLING,
]

OFFICE_ROLES = ["member", "staffer", "office_manager"]

# (name, course slug, roles, every_months, due_within_days, min_exposure_tier)
REQUIREMENTS = [
    (
        "Every member and staffer: Security essentials every 12 months",
        "security-essentials",
        OFFICE_ROLES,
        12,
        30,
        None,
    ),
    (
        "New starters: Recognising approaches within 30 days",
        "recognising-approaches",
        OFFICE_ROLES,
        None,
        30,
        None,
    ),
    (
        "Every member and staffer: Phishing and account security every 12 months",
        "phishing-account-security",
        OFFICE_ROLES,
        12,
        60,
        None,
    ),
    (
        "Office managers: What to do in an incident, once",
        "incident-response",
        ["office_manager"],
        None,
        30,
        None,
    ),
    (
        "Security officers: Alert handling, once",
        "alert-handling",
        ["security_officer"],
        None,
        30,
        None,
    ),
    (
        "High-exposure members and staff: Overseas travel every 24 months",
        "overseas-travel",
        OFFICE_ROLES,
        24,
        30,
        3,
    ),
]

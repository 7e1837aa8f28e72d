"""Pressure and lure language. English and Portuguese first (many reported samples are
Brazilian), with the commonest phrases in Spanish, German, Dutch, Italian and French.

Patterns are written lower-case without accents; the text is folded the same way.
"""

from __future__ import annotations

import re

from . import confusables
from .brands import fold
from .model import Findings

_LURES: dict[str, tuple[str, ...]] = {
    "lure.credential": (
        r"verify (your|the) (account|identity|email|mailbox)",
        r"confirm (your|the) (account|identity|details|information|email)",
        r"account (has been |was |will be |is )?(suspended|locked|disabled|blocked|limited|"
        r"restricted|deactivated|closed)",
        r"unusual (sign[- ]?in|login|activity)",
        r"(suspicious|unauthori[sz]ed) (sign[- ]?in|login|access|activity)",
        r"(update|verify) (your )?(payment|billing|card)",
        r"password (will )?expires?",
        r"(mailbox|storage|quota) (is )?(almost |nearly )?full",
        r"re-?validate|reactivate your",
        r"sua conta (foi|sera|esta) (bloqueada|suspensa|desativada|limitada|restrita)",
        r"(confirme|atualize|valide|verifique) (seus|os|sua|o) (dados|cadastro|conta|acesso)",
        r"(novo|tentativa de) acesso|acesso (nao autorizado|suspeito|incomum)",
        r"senha (ira |vai )?expira|redefin(a|ir) (sua )?senha|acesso indevido",
        r"(password|account) (reset|recovery) request|reset your password|log ?in attempt",
        r"(uberprufen|bestatigen|aktualisieren) sie ihr(e|en)? (konto|daten|identitat)",
        r"(cpf|cnpj|titulo de eleitor) (bloqueado|suspenso|irregular|cancelado)|irregularidade",
        r"valores a receber|credito (ir )?liberado|saque (liberado|disponivel)|fgts",
        r"(verifique|confirme|actualice) su (cuenta|identidad|informacion)",
        r"(konto|zugang) (wurde |wird )?(gesperrt|eingeschrankt|deaktiviert)",
        r"bestatigen sie ihre|verifizieren sie ihr",
        r"(uw|je) (account|rekening) (is |wordt )?(geblokkeerd|opgeschort)|verifieer uw",
        r"il tuo account (e |sara )?(sospeso|bloccato)|verifica il tuo account",
        r"votre compte (a ete |sera )?(suspendu|bloque)|verifiez votre",
    ),
    "lure.crypto": (
        r"\bairdrop|claim (your )?(tokens?|rewards?|nft|usdt|eth|btc)|\bstaking\b|\busdt\b",
        r"(wallet|carteira) (connect|conectar|validation|verification|sync)|seed phrase",
        r"(eligible|eligibility) (for|to claim)|rewards? (are|is) waiting|loot ?box",
    ),
    "lure.urgency": (
        r"\burgent(e|ly)?\b",
        r"\bimmediate(ly)?\b|\bimediata(mente)?\b|\binmediata(mente)?\b",
        r"within (24|48|72) hours|(em|nas proximas|dentro de) (ate )?(24|48|72) horas",
        r"(final|last) (notice|warning|reminder|chance)",
        r"(ultimo|ultima) (aviso|chance|oportunidade)",
        r"action required|acao (necessaria|imediata)|requires? your (immediate )?attention",
        r"expires? (today|soon|in \d+)|expira (hoje|em \d+)|vence hoje",
        r"\bdringend\b|\bsofort\b|letzte (chance|warnung|mahnung)",
        r"de tijd dringt|laatste (kans|herinnering)|\bdirect actie\b",
        r"\bultimo avviso\b|\bsubito\b|dernier (avis|rappel)",
    ),
    "lure.prize": (
        r"you('ve| have)? (won|been selected)|congratulations|lucky day|(you|u) (are|r) now rich",
        r"claim (your|the) (prize|reward|gift|bonus|funds|payment)",
        r"gift ?card|\blottery\b|\bjackpot\b|\binheritance\b|\bbeneficiar(y|ies)\b",
        r"(million|\d{3},\d{3}) (us )?(dollars|usd|euros?|pounds)",
        r"\bdonation\b|compensation fund|\bbitcoin\b|\bcrypto",
        r"parabens|voce (foi sorteado|ganhou|foi selecionado)|\bpremio\b|\bsorteio\b|\bbrinde\b",
        r"resgat(e|ar) (seu|sua|os|agora)|pontos (vao|irao|podem) expirar|recompensa",
        r"ha ganado|felicidades|has sido seleccionado",
        r"\bgewonnen\b|\bgewinner\b|gutschein|pramie",
        r"cadeaukaart|cadeaubon|\bwinnaar\b|\bbeloning\b",
        r"hai vinto|vincitore|buono regalo|vous avez gagne|felicitations|carte cadeau",
    ),
    "lure.payment": (
        r"(payment|transaction) (failed|declined|pending|was unsuccessful)",
        r"(overdue|outstanding|unpaid) (invoice|balance|payment)|tax refund|payment failed",
        r"account statement|statement (is|has been) (ready|issued)|loan offer|qualify to borrow",
        r"alfandega|prazo (final|para retirada)|(processo|intimacao|notificacao) (judicial|"
        r"extrajudicial|emitida|em seu nome)",
        r"(package|parcel|shipment|delivery) (is )?(on hold|pending|failed|could not)",
        r"pagamento (pendente|recusado|nao (foi )?(aprovado|identificado))|\bboleto\b",
        r"\bpendencia|debito (pendente|em aberto)|divida|restituicao|\binfracao\b|\bmulta\b",
        r"(encomenda|entrega|pacote) (retida|pendente|aguardando|nao)|taxa de (entrega|envio)",
        r"zahlung (fehlgeschlagen|ausstehend)|offene rechnung|paket (wartet|zugestellt)",
        r"betaling (mislukt|openstaand)|pakket (wacht|kon niet)",
    ),
    "lure.password": (
        r"password (is|:)|the password|passcode (is|:)|pwd ?:",
        r"senha (do arquivo|do documento|e|:)|a senha",
        r"contrasena (es|:)|kennwort (ist|:)|wachtwoord (is|:)|mot de passe",
        r"decrypt(ion|or)? (tool|key|software)|\bdecryptor\b",
        r"(encrypted|protected|secured) (document|file|pdf|message)",
        r"documento (protegido|criptografado)|arquivo (protegido|criptografado)",
        r"enable (editing|content|macros)",
    ),
    # Advance-fee ("419") stories: a stranger, a fortune, a confidential partnership.
    "lure.advance_fee": (
        r"(business|investment|delicate|confidential|lucrative) (proposal|offer|deal|"
        r"transaction|project)|scintillating deal|risk[- ]free (venture|transaction|deal)",
        r"(need|seeking) (a|your) (partner|assistance|cooperation)|your (kind )?cooperation",
        r"(reply|respond|get back to|write back to) me (for|with) (more|further) (details|"
        r"information)|contact me if you are (willing|interested)",
        r"next of kin|late (husband|wife|father|client)|(consignment|atm card|compensation "
        r"(fund|payment))|(bank|wire) transfer of|(sum|fund|funds) of (us)?\$? ?\d",
        r"\b(i am|i'm) (mrs?|ms|miss|barrister|dr)\.? [a-z]+|(sou|eu sou) (a|o) (sra?|dr)\.? ",
        r"oferta (delicada|confidencial|de negocio)|(sua|a sua) cooperacao|responda-me|"
        r"falecido (marido|esposo|pai)|parceiro (de negocios|confiavel)|(heranca|compensacao|"
        r"fundo) (de|no valor)|elegiveis para receber|transferencia (dos|de) fundos",
        r"propuesta (de negocio|confidencial)|su cooperacion|difunto (esposo|marido)",
    ),
    "lure.gambling": (
        r"casinos?\b|free spins|freispiele|rodadas gratis|giros gratis|slot machines?|"
        r"welcome bonus|willkommensbonus|bonus de boas-vindas|\bapostas?\b|sportsbook",
    ),
    "lure.action": (
        r"click (here|below|the (link|button))|clique (aqui|no (link|botao))",
        r"klicken sie (hier|auf)|klik (hier|op)|haga clic|cliquez (ici|sur)|clicca qui",
        r"(log ?in|sign ?in) (here|now|to (your|view))|acesse (agora|aqui|sua conta)",
    ),
}
# Every phrase starts at a word start: the leading `\b` lets the regex engine reject the
# middle of words at once instead of trying each alternative there (about 3x faster).
_COMPILED = {
    code: re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in pats if p) + ")")
    for code, pats in _LURES.items()
}


# Text dressed up to slip past filters: mathematical bold letters, letters loaded with
# combining marks, zero-width characters inside words.
_OBFUSCATED = re.compile(
    "[\U0001d400-\U0001d7ff]{3}|[A-Za-z][\u0300-\u036f\u0489]{1,}[A-Za-z][\u0300-\u036f]"
    "|\\w[\u200b\u200c\u200d\u2060\ufeff]\\w"
)


def check_obfuscation(texts: list[str], findings: Findings) -> None:
    for text in texts:
        match = _OBFUSCATED.search(text[:200_000])
        if match:
            findings.flag(
                "lure.obfuscated_text", f"styled or hidden characters: {match.group(0)!r}"
            )
            return


# Merge fields the sending kit failed to fill: contact-form abuse and careless mass mailers.
_PLACEHOLDER = re.compile(
    r"\[your-[a-z-]{2,20}\]|\{\{\s*[A-Za-z_.]{2,30}\s*\}\}|\$\{[A-Za-z_]{2,30}\}"
    r"|\{(?:numero|nome|name|email|e-mail|first_?name|cpf|codigo|code)\}"
    r"|%%?(?:first_?name|last_?name|email|name)%%?",
    re.I,
)


def check_placeholders(texts: list[str], findings: Findings) -> None:
    for text in texts:
        match = _PLACEHOLDER.search(text[:200_000])
        if match:
            findings.flag("lure.template_placeholder", f"unfilled merge field {match.group(0)!r}")
            return


def check_disguised(texts: list[str], findings: Findings) -> None:
    """Lure words or brands spelled with look-alike letters (`Iog in`, `IMP0RTANT`)."""
    hits: list[str] = []
    for text in texts:
        hits += [f"{token!r} for {word!r}" for token, word in confusables.disguised(text[:3000])]
    if hits:
        findings.flag("lure.disguised_words", ", ".join(sorted(set(hits))[:5]))


# Codes that need this many distinct phrases before they are reported (one stock phrase such
# as "business proposal" is ordinary; a story built of several is not).
_MIN_HITS = {"lure.advance_fee": 2}


def check_language(folded: str, findings: Findings) -> None:
    """Lure phrases in `folded_text(...)` of the subject and bodies."""
    for code, pattern in _COMPILED.items():
        hits = {m.group(0) for m in pattern.finditer(folded)}
        if len(hits) >= _MIN_HITS.get(code, 1):
            findings.flag(code, ", ".join(sorted(hits)[:5]))


# Approach tactics (DOMAIN.md §3; NPSA "Think Before You Link" and the MI5 alert of November
# 2025): the polite, authenticated e-mail of a "recruiter", "think tank" or "journalist" who
# wants what a member or staffer knows. English first, then the commonest Chinese and Russian
# phrasings. Russian is written as `fold` leaves it (й -> и, ё -> е). Patterns carry their own
# word boundaries: Chinese has none, so the compiled pattern does not start with `\b`.
_APPROACH: dict[str, tuple[str, ...]] = {
    "approach.paid_consultancy": (
        r"\bpaid (part[- ]time |short[- ]term |freelance )?(consultancy|consulting|advisory|"
        r"research|reports?|briefings?|papers?|analysis|work)\b",
        r"\b(consultancy|consulting|advisory) (fee|role|position|opportunity|project|work)s?\b",
        r"\b(fee|honorarium|remuneration|payment) (of|for) (each|every|a|per) (short )?(report|"
        r"paper|briefing|article|analysis|call)",
        r"\b((usd|gbp|eur) ?)?\d[\d,.]* ?(k )?(per|for (each|every|a)|an?) (short )?(report|"
        r"paper|briefing|article|hour|call|analysis)\b",
        r"\bwe (will|would|can) (pay|compensate|reward) you\b",
        r"有偿(咨询|研究|服务)|咨询费|报酬丰厚|稿酬|稿费|付费(咨询|报告)",
        r"оплачиваем\w*|платн\w* (консультац|аналитик|исследован)|гонорар|вознагражден",
    ),
    "approach.insider_request": (
        r"\bnot (yet )?(in|within) the public domain\b|\bnot (yet )?(been )?(made )?public\b",
        r"\bnon[- ]?public\b|\binsider (insights?|information|knowledge|views?|perspective)",
        r"\b(confidential|internal|unpublished) (documents|briefings?|papers|discussions|"
        r"deliberations|thinking|minutes)\b|\bhow (members|ministers|colleagues|the committee) "
        r"(are|is) (leaning|thinking)\b",
        r"\boff the record\b|\binside (track|view|story) on\b",
        r"内部(信息|消息|资料|文件|看法)|未公开|非公开|内幕",
        r"инсаидерск|непубличн|конфиденциальн\w* (информац|сведен|документ)|"
        r"внутренн\w* (информац|документ)",
    ),
    "approach.unusual_payment": (
        r"\b(paid|payment|pay you|remunerat\w*|compensat\w*|settled?) (can be )?(made )?(in|via|"
        r"through|by|with) (crypto\w*|bitcoin|btc|usdt|tether|ethereum|cash|a third[- ]party|"
        r"an intermediary|our partner (company|firm)|western union|gift cards?)\b",
        r"\b(third[- ]party|intermediary|offshore) (payment|account|transfer)s?\b|"
        r"\bcash (payment|in hand)\b",
        r"(加密货币|比特币|泰达币|usdt|现金|第三方)(支付|付款|结算)|以(加密货币|现金)支付",
        r"(оплат|выплат)\w* (в |через )?(криптовалют|биткоин|наличн|трет\w* лиц)|"
        r"наличными|в криптовалюте",
    ),
    "approach.sponsored_trip": (
        r"\ball[- ]expenses?[- ](paid|covered)\b|\b(fully|all) (funded|sponsored|paid|covered) "
        r"(trip|visit|travel|delegation|study tour|stay)",
        r"\b(flights?|travel|airfares?) (and|&) (accommodation|hotels?|lodging)\b[^.]{0,60}"
        r"\b(covered|paid|provided|sponsored|at our expense|on us)\b",
        r"\b(we|our hosts?|the organi[sz]ers) (will )?(cover|pay for|take care of) (all )?(your )?"
        r"(travel|flights?|accommodation|expenses)",
        r"\bstudy tour\b|\bfact[- ]finding (trip|visit|tour)\b",
        r"全额资助|费用全包|食宿(全包|全免)|往返机票|承担(全部|所有)?(差旅|费用)|考察团?",
        r"все расходы (оплачива|покрыва|берем)|за наш сч[её]т|ознакомительн\w* поездк",
    ),
    "approach.off_platform": (
        r"\b(continue|move|talk|chat|speak|connect|discuss|contact|reach|message|text|add) "
        r"(\w+ ){0,5}(on|via|over|through|using|in) (wechat|weixin|whatsapp|telegram|signal|"
        r"viber|line|threema|wire|session)\b",
        r"\b(my|your|a) (wechat|weixin|whatsapp|telegram|signal) (id|number|handle|account)\b",
        r"\b(your|a) (personal|private|home|non[- ]?work) (e-?mail( address)?|phone|mobile|"
        r"number|account)\b",
        r"\brather than (your )?(work|parliamentary|official) (e-?mail|account|address)\b",
        r"加(我|个)?(微信|whatsapp|telegram)|微信号|添加微信|私人(邮箱|电话|手机)|微信联系",
        r"(в|через) (телеграм|вотсап|ватсап|whatsapp|telegram|signal)|"
        r"личн\w* (почт|телефон|номер|адрес)",
    ),
}
# Flattery is reported only with scarcity or haste in the same message (either alone is the
# stuff of ordinary invitations).
_FLATTERY = (
    r"\b(your )?(impressive|outstanding|remarkable|exceptional|distinguished) (profile|"
    r"background|career|record|experience|expertise|work)\b",
    r"\b(deeply|greatly|very|most) impressed (by|with) your\b|\byour (unique|rare|valuable) "
    r"(insights?|expertise|perspective|position)\b",
    r"\b(uniquely|ideally|perfectly|exceptionally) (placed|qualified|suited|positioned)\b",
    r"\bwe (have )?(specially |personally )?(selected|identified|chosen|shortlisted) you\b",
    r"久仰|深感钦佩|您的(资历|经验|背景|专业)(非常|十分)?(丰富|出色|卓越)|资深专家",
    r"впечатлен\w* (вашим|вашеи)|ваш (богатыи|уникальныи) опыт|выдающ\w* (опыт|карьер)",
)
_HASTE = (
    r"\b(places|spaces|seats|spots) are (very )?limited\b|\blimited (number of )?(places|spaces|"
    r"seats|spots)\b|\bonly (a few|\w+) (places|spaces|seats|spots)\b",
    r"\b(reply|respond|confirm|let me know) (by|before|within) (\w+ ){0,2}(today|tomorrow|"
    r"friday|monday|the end of|\d+ (hours|days))|\bas soon as possible\b|\basap\b",
    r"\b(exclusive|unique|rare|once[- ]in[- ]a[- ]lifetime) opportunity\b|\btime[- ]sensitive\b",
    r"名额有限|尽快(回复|答复|联系)|机会难得|限时",
    r"количество мест ограничено|как можно скорее|уникальн\w* возможност",
)


_CJK = re.compile("[\u3400-\u9fff]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")


class _Phrases:
    """One code's patterns, compiled by script: Latin ones behind one leading `\b` (the regex
    engine then skips the middle of words at once), Chinese and Russian ones tried only on text
    that holds such letters at all."""

    def __init__(self, patterns: tuple[str, ...]) -> None:
        def joined(group: list[str], prefix: str = "") -> re.Pattern[str] | None:
            return (
                re.compile(prefix + "(?:" + "|".join(f"(?:{p})" for p in group) + ")")
                if group
                else None
            )

        cjk = [p for p in patterns if _CJK.search(p)]
        cyrillic = [p for p in patterns if _CYRILLIC.search(p) and p not in cjk]
        latin = [p for p in patterns if p not in cjk and p not in cyrillic]
        self.latin = joined([p.removeprefix("\\b") for p in latin], "\\b")
        self.cjk, self.cyrillic = joined(cjk), joined(cyrillic)

    def hits(self, text: str, cjk: bool, cyrillic: bool) -> set[str]:
        found: set[str] = set()
        for pattern, wanted in ((self.latin, True), (self.cjk, cjk), (self.cyrillic, cyrillic)):
            if pattern is not None and wanted:
                found |= {m.group(0) for m in pattern.finditer(text)}
        return found


def _compile(patterns: tuple[str, ...]) -> _Phrases:
    return _Phrases(patterns)


_APPROACH_COMPILED = {code: _compile(patterns) for code, patterns in _APPROACH.items()}
_FLATTERY_COMPILED, _HASTE_COMPILED = _compile(_FLATTERY), _compile(_HASTE)

# Personas an approach borrows (NPSA: recruiters, think tanks, consultancies, journalists,
# academics), named in the display name or the first lines of the message.
_PERSONA = re.compile(
    "|".join(
        (
            r"\b(executive search|head[- ]?hunt\w*|recruit\w*|talent (partner|acquisition|scout\w*)"
            r"|think[- ]tank|institute|foundation|consultancy|consulting|advisory|research (centre|"
            r"center|group|network)|policy (centre|center|forum|network)|journalist|reporter|"
            r"correspondent|editor|academic|professor|internship\w*)\b",
            r"猎头|智库|咨询(公司|机构)|研究(院|所|中心)|记者|编辑|教授|实习",
            r"рекрутер|кадров\w* агентств|аналитическ\w* центр|журналист|консалтинг|фонд|институт",
        )
    )
)


def folded_text(texts: list[str], limit: int) -> str:
    """The first `limit` characters of the texts as the phrase lists are written: folded, with
    runs of white space as one."""
    return re.sub(r"\s+", " ", fold(" ".join(texts)[:limit]))


def check_approach(folded: str, findings: Findings) -> None:
    """Flag each approach tactic with its own indicator and the phrases that raised it."""
    cjk, cyrillic = bool(_CJK.search(folded)), bool(_CYRILLIC.search(folded))
    for code, phrases in _APPROACH_COMPILED.items():
        hits = phrases.hits(folded, cjk, cyrillic)
        if hits:
            findings.flag(code, ", ".join(sorted(hits)[:5]))
    flattery = _FLATTERY_COMPILED.hits(folded, cjk, cyrillic)
    haste = _HASTE_COMPILED.hits(folded, cjk, cyrillic)
    if flattery and haste:
        findings.flag(
            "approach.flattery_urgency", ", ".join([*sorted(flattery)[:3], *sorted(haste)[:2]])
        )


def persona(name: str, folded: str) -> str | None:
    """The persona a first contact writes in (`executive search`, `think tank`, ...), if any."""
    match = _PERSONA.search(fold(name)) or _PERSONA.search(folded[:3000])
    return match.group(0) if match else None

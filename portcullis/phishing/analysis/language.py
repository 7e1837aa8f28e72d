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


def check_language(texts: list[str], findings: Findings) -> None:
    folded = fold(" ".join(texts)[:200_000])
    folded = re.sub(r"\s+", " ", folded)
    for code, pattern in _COMPILED.items():
        hits = {m.group(0) for m in pattern.finditer(folded)}
        if len(hits) >= _MIN_HITS.get(code, 1):
            findings.flag(code, ", ".join(sorted(hits)[:5]))

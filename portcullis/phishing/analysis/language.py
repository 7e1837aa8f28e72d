"""Pressure and lure language. English and Portuguese first (many reported samples are
Brazilian), with the commonest phrases in Spanish, German, Dutch, Italian and French.

Patterns are written lower-case without accents; the text is folded the same way.
"""

from __future__ import annotations

import importlib
import re
from itertools import islice, product
from typing import Any

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
        r"(verifique|confirme|actualice) (su cuenta|su identidad|su informacion)",
        r"(konto|zugang) (wurde |wird )?(gesperrt|eingeschrankt|deaktiviert)",
        r"bestatigen sie ihre|verifizieren sie ihr",
        r"(uw|je) (account|rekening) (is |wordt )?(geblokkeerd|opgeschort)|verifieer uw",
        r"il tuo account (e |sara )?(sospeso|bloccato)|verifica il tuo account",
        r"votre compte (a ete |sera )?(suspendu|bloque)|verifiez votre",
        r"su cuenta (ha sido |sera |esta )?(suspendida|bloqueada|desactivada|limitada)|"
        r"(acceso|inicio de sesion) (no autorizado|sospechoso|inusual)|actualice sus datos",
        r"accesso (non autorizzato|sospetto|insolito)|(aggiorna|conferma) i tuoi dati",
        r"(acces|connexion) (non autorise|suspecte?|inhabituelle?)|mettez a jour vos (donnees|"
        r"informations)|confirmez votre (identite|compte)",
        r"(ongebruikelijke|verdachte) (aanmelding|activiteit)|bevestig (uw|je) (gegevens|"
        r"identiteit)|werk (uw|je) gegevens bij",
        r"(ungewohnliche|verdachtige) (anmeldung|aktivitat)|atividade (suspeita|incomum)",
        r"buzon (esta )?lleno|casella (di posta )?(e )?piena|"
        r"boite (mail|aux lettres) (est )?pleine|\bpostfach (ist )?voll|\bmailbox (is )?vol\b|"
        r"caixa (de entrada|postal) (esta )?cheia",
        # Mail held back until the reader "releases" it: the quarantine lure of webmail kits.
        r"\b(pending|undelivered|held|quarantined|suspended) (incoming )?(e-?mails?|messages)\b|"
        r"\b(e-?mails?|messages) (are |were |have been )?(pending|on hold|held|quarantined|"
        r"undelivered)\b|\brelease (your |the )?(pending |held )?(e-?mails?|messages)\b",
        r"\b(mensagens|e-?mails) (pendentes|retid[oa]s|bloquead[oa]s)|\bausstehende nachrichten|"
        r"\bnachrichten (zuruckgehalten|ausstehend)|\b(wachtende|tegengehouden) berichten|"
        r"\bmessages (en attente|bloques|retenus)|\bmensajes (pendientes|retenidos|bloqueados)|"
        r"\bmessaggi (in sospeso|bloccati|trattenuti)",
        r"(confirm|verify|update) (your|the) (billing|payment|personal|contact|account|login) "
        r"(details|information|info)\b",
        # The notices credential kits copy most: a voicemail, a fax or a shared document waiting
        # behind a sign-in page, and an ID locked until it is "verified".
        r"\b(new|unheard|missed) (voice ?mail|voice message|fax)\b|\blisten to (the |your )?"
        r"(voice ?mail|voice message|audio message)\b|\bview (the |your )?fax\b",
        r"\bhas shared (a |an |the )?(document|file|folder|spreadsheet|pdf)s? with you\b|"
        r"\bcompartilhou (um|o) (documento|arquivo)|\bhat (ein|das) (dokument|datei) mit (ihnen|"
        r"dir) geteilt|\bheeft (een|het) (document|bestand) met (u|je) gedeeld|\ba partage un "
        r"(document|fichier) avec vous|\bha compartido un (documento|archivo)|\bha condiviso un "
        r"(documento|file)",
        r"\b(apple id|icloud|id|profile|card|wallet) (has been |was |is )?(temporarily )?(locked|"
        r"suspended|disabled|blocked)\b",
    ),
    "lure.crypto": (
        r"\bairdrop|claim (your )?(tokens?|nft|usdt|eth|btc)|\bstaking\b|\busdt\b",
        r"(wallet|carteira) (connect|conectar|validation|verification|sync)|seed phrase",
        r"(eligible|eligibility) (for|to claim)|rewards? (are|is) waiting|loot ?box",
        r"recovery phrase|frase (de recuperacao|de recuperacion|semilla|di recupero)|"
        r"phrase de recuperation|wiederherstellungsphrase|herstelzin",
        r"(conecte|connectez|collega|verbinden sie|koppel) (su |votre |il tuo |ihre |uw |je )?"
        r"(cartera|portefeuille|portafoglio|wallet)",
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
        r"\bimmediatamente\b|\bimmediatement\b|\bonmiddellijk\b|\bunverzuglich\b",
        r"as soon as possible|o (mais (rapido|breve) possivel|quanto antes)|lo (antes|mas pronto) "
        r"posible|cuanto antes|schnellstmoglich|so schnell wie moglich|baldmoglichst|"
        r"zo (snel|spoedig) mogelijk|(des que|le plus tot) possible|au plus vite|"
        r"dans les plus brefs delais|(il )?prima possibile|al piu presto",
        r"(binnen|innerhalb von|entro|dans les|en las proximas) (24|48|72) (uur|stunden|ore|"
        r"heures|horas)",
        r"ultima oportunidad|derniere chance|ultima (occasione|possibilita)|letzte gelegenheit",
        r"(accion|azione|action|aktion|actie) (requerida|necesaria|richiesta|requise|"
        r"erforderlich|vereist)",
        r"(caduca|vence|expira) hoy|scade oggi|expire aujourd|lauft heute ab|verloopt vandaag",
    ),
    "lure.prize": (
        r"you('ve| have)? (won(?!['’]?t\b)|been selected)|congratulations|lucky day|"
        r"(you|u) (are|r) now rich",
        r"you('ve| have)? been (chosen|picked) to (receive|participate|claim|win)",
        r"chosen to receive",
        r"you('ve| have)? (earned|received) [\d.,]+ (bitcoins?|btc|usdt|eth)\b",
        r"claim (your |the )?(prizes?|rewards?|gifts?|bonus|funds|payment)\b",
        r"gift ?card|\blottery\b|\bjackpot\b|\binheritance\b|\bbeneficiar(y|ies)\b",
        r"million (us )?(dollars|usd|euros?|pounds)|"
        r"\d\d\d,\d{3} (us )?(dollars|usd|euros?|pounds)",
        r"\bdonation (of|worth) (us ?|eur ?)?[$€£]? ?\d|compensation fund|\bbitcoin\b",
        r"\b(crypto(currenc(y|ies)|monnaies?|valuta|munt(en)?)?|cripto(moedas?|monedas?|"
        r"valut[ae])?|krypto(wahrung(en)?)?)\b",
        r"parabens|voce (foi sorteado|ganhou|foi selecionado)|\bpremio\b|\bsorteio\b|\bbrinde\b",
        r"resgat(e|ar) (seu|sua|os|agora)|pontos (vao|irao|podem) expirar|recompensa",
        r"ha ganado|felicidades|has sido seleccionado",
        r"\bgewonnen\b|\bgewinner\b|gutschein|pramie",
        r"cadeaukaart|cadeaubon|\bwinnaar\b|\bbeloning\b",
        r"hai vinto|vincitore|buono regalo|vous avez gagne|felicitations|carte cadeau",
        r"sie wurden (ausgewahlt|ausgelost)|(ihr|dein) (gewinn|geschenk) wartet|gewinnspiel",
        r"vous avez ete (selectionne|choisi)|(tu es|vous etes) (notre|le) gagnant|\bgagnant\b",
        r"congratulazioni|sei stat[oa] (scelt|selezionat)|(siete|sei) (stati|state) selezionat",
        r"gefeliciteerd|je bent (geselecteerd|gekozen)|u bent (geselecteerd|gekozen)",
        r"(has|ha) sido (seleccionado|elegido)|enhorabuena",
        r"\bsaldo disponivel|\bvotre solde cpf|\bvos droits (a la formation|cpf)\b|"
        r"\b(deinem|ihrem) [\w-]*konto gutgeschrieben|\bgutschrift (genehmigt|erhalten)",
    ),
    "lure.payment": (
        r"(payment|transaction) (failed|declined|pending|was unsuccessful)",
        r"(overdue|outstanding|unpaid) (invoice|balance|payment)|tax refund|payment failed",
        r"account statement|statement (is|has been) (ready|issued)|loan offer|qualify to borrow",
        r"alfandega|prazo (final|para retirada)|(processo|intimacao|notificacao) (judicial|"
        r"extrajudicial|emitida|em seu nome)",
        r"citad[oa] (no|em um|num) processo|seu nome (foi|esta|consta) (citado|incluido|em um "
        r"processo)|processo (civil|criminal|judicial) (contra|em nome)",
        r"(package|parcel|shipment|delivery) (is )?(on hold|pending|failed|could not)",
        r"pagamento (pendente|recusado|nao (foi )?(aprovado|identificado))|\bboleto\b",
        r"\bpendencia|debito (pendente|em aberto)|divida|restituicao|\binfracao\b|\bmulta\b",
        r"(encomenda|entrega|pacote) (retida|pendente|aguardando|nao)|taxa de (entrega|envio)",
        r"zahlung (fehlgeschlagen|ausstehend)|offene rechnung|paket (wartet|zugestellt)",
        r"betaling (mislukt|openstaand)|pakket (wacht|kon niet)",
        r"pago (pendiente|rechazado|fallido)|factura (pendiente|vencida|impagada)|"
        r"(paquete|envio) (retenido|pendiente)",
        r"pagamento (non riuscito|in sospeso|rifiutato)|fattura (scaduta|non pagata)|"
        r"(pacco|spedizione) (in giacenza|bloccat[oa]|in attesa)",
        r"paiement (refuse|en attente|echoue)|facture (impayee|en retard)|"
        r"colis (en attente|bloque|retenu)|frais de (livraison|douane)",
        r"zahlung abgelehnt|rechnung (uberfallig|offen)|sendung (wartet|konnte nicht)|zollgebuhr",
        r"betaling (geweigerd|niet gelukt)|openstaande factuur|douanekosten",
        r"(customs|redelivery) (fees?|charges?|dut(y|ies))",
        r"\bnotificacao (ao contribuinte|fiscal)|\bmalha fina\b",
        r"\b(could not|couldn.t|unable to|were unable to) (process|verify|authori[sz]e|charge) "
        r"your (payment|card|billing)|\b(membership|subscription) (is |has been )?(on hold|"
        r"suspended|paused|expired)\b",
        r"\bremittance advice\b|\bswift (copy|confirmation|message)\b|\bproof of payment\b|"
        r"\bpayment (advice|confirmation) (is )?(attached|enclosed)\b",
        r"\b(invoice|bill) ([\w#/-]+ )?(is|was) (now )?(overdue|past due|outstanding|unpaid)\b|"
        r"\bavoid (a |any )?late (fee|charge|payment)s?\b",
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
        r"(reply|respond|get back to|write back to) (me for|me with) (more|further) (details|"
        r"information)|contact me if you are (willing|interested)",
        r"next of kin|late (husband|wife|father|client)|(consignment|atm card|compensation "
        r"(fund|payment))|(bank|wire) transfer of|(sum of|fund of|funds of) (us)?\$? ?\d",
        r"\b(i am|i'm) (mrs?|ms|miss|barrister|dr)\.? [a-z]+|(sou|eu sou) (a|o) (sra?|dr)\.? ",
        r"oferta (delicada|confidencial|de negocio)|(sua|a sua) cooperacao|responda-me|"
        r"falecido (marido|esposo|pai)|parceiro (de negocios|confiavel)|(heranca|compensacao|"
        r"fundo) (de|no valor)|elegiveis para receber|transferencia (dos|de) fundos",
        r"propuesta (de negocio|confidencial)|su cooperacion|difunto (esposo|marido)",
        r"geschaftsvorschlag|vertraulich\w* (angebot|geschaft)|ihre (zusammenarbeit|"
        r"kooperation)|verstorbene\w* (ehemann|mann|vater)",
        r"zakelijk voorstel|vertrouwelijk (voorstel|aanbod)|uw (medewerking|samenwerking)|"
        r"overleden (echtgenoot|man|vader)",
        r"proposta (d.affari|commerciale|confidenziale)|la sua (collaborazione|cooperazione)|"
        r"defunto (marito|padre)",
        r"proposition (d.affaires|commerciale|confidentielle)|votre (collaboration|cooperation)|"
        r"(feu|defunt) (mon )?(mari|epoux|pere)",
    ),
    # "Casino" only beside a gambling word: a travel offer's "casino resort" or a charity's
    # "casino night" is no gambling lure; "spins casino", "casino bonus" and "world of games" are.
    "lure.gambling": (
        r"casinos?\b(?=.{0,80}?\b(bonus(es)?|spins|jackpots?|slots?|wins|games|payouts?|deposits?|"
        r"bets?|betting|vip)\b)",
        r"(bonus(es)?|spins|jackpots?|slots|big wins|games|payouts?|deposits?|betting) .{0,80}?"
        r"\bcasinos?\b",
        r"free spins|freispiele|rodadas gratis|giros gratis|slot machines?|"
        r"welcome bonus|willkommensbonus|bonus de boas-vindas|\bapostas?\b|sportsbook",
    ),
    # Romance and "dating" scams: a stranger, alone, sending pictures, wanting an answer.
    # One phrase a pattern: the prefilter then leaves out each one whose words a text lacks.
    "lure.romance": (
        r"(solitary|lonely|single) (\w+ )?(female|woman|lady|girl|mistress)\b",
        r"how old (r|are) (u|you)\b",
        r"(you|u) (my photos?|my pictures?|my pics)\b",
        r"(looking for|searching for) (a )?(top-quality |serious |real |good )?(man|husband|"
        r"boyfriend)\b",
        r"(lonely|horny) (singles|women|girls|wives) (in your|near your) (area|city)",
        r"\b(women|girls|ladies|singles) (are )?(waiting|want|wanting|looking) to (meet|chat|date)"
        r"\b|\b(girl|woman|lady) is waiting (to meet|to chat|for you)\b|\bdate this (hottie|girl|"
        r"woman|lady)\b",
        r"spannende afspraak|naaktfoto|ben je nog (steeds )?op ?zoek",
        r"mulher solteira|procuro (um )?(homem|namorado)",
        r"mujer soltera|einsame frau|donna (sola|single)|femme (seule|celibataire)|eenzame vrouw",
    ),
    # The mass-scam offers consumer-protection bodies warn of year after year (the FTC's and
    # Action Fraud's lists): miracle weight loss, money from home, an expiring warranty, an exit
    # from a timeshare, debt wiped, a quiz that wins a prize. Stated as the offer, not the topic:
    # a list that discusses spam says "viagra", a clinic's newsletter says "weight loss".
    "lure.scam_offer": (
        r"(melts?|burns?|strips? (away|off)|blasts?|torch(es)?) (away )?(\w+ ){0,2}(belly |body |"
        r"stubborn )?fat\b",
        r"\b(lose|drop|shed) (up to )?\d+ ?(lbs?|pounds|kilos?|kg) (in|within|without|fast|by)\b",
        r"\b(weight loss|fat burning|keto|glp-?1|ozempic|wegovy|semaglutide)\b.{0,60}?\b(secret|"
        r"trick|ritual|hack|breakthrough|miracle|without (diet|dieting|exercise)|quiz)\b",
        r"(doctors|experts) (hate|are (stunned|baffled))|one (weird|simple|strange) trick|"
        r"\b(\d+-second|morning|bedtime|kitchen) (ritual|trick|hack)\b",
        r"\bmale enhancement\b|\bcbd gummies\b",
        r"\b(make|earn) (\$ ?[\d,]+|money|cash|extra income) (\w+ ){0,3}(from home|online|per "
        r"(day|week)|a (day|week)|daily|weekly)\b|\bwork from home (and|to) (earn|make)\b",
        r"(?<!claiming )(?<!saying )(?<!say )(?<!that )\byour (car|auto|vehicle|home) warranty "
        r"(has expired|is expiring|expires (soon|today)|is about to expire)|"
        r"\bextended (car|auto|vehicle) warranty\b",
        r"\b(exit|get out of|cancel|escape) your timeshare\b|\btimeshare maintenance fees? (are )?"
        r"(due|rising|increase)",
        r"\b(you (may |could )?(qualify|be eligible)|see if you qualify|apply now) for (\w+ ){0,2}"
        r"(debt relief|loan forgiveness|debt consolidation|final expense|burial insurance|"
        r"medicare benefits)\b|\bconsolidate your debts?\b",
        r"\b(take|complete) (the|our|this|a) (short |quick )?(quiz|survey) (and|to) (win|get|claim|"
        r"receive)\b",
        r"\bperca (ate )?\d+ (quilos|kg)|emagre(cer|ca) (rapido|sem (dieta|academia))|"
        r"\bganhe dinheiro (em casa|online|na internet)",
        r"\bpierde (hasta )?\d+ (kilos|kg)|adelgaza(r)? (rapido|sin (dieta|ejercicio))|"
        r"\bgana(r)? dinero (desde casa|en linea|online)",
        r"\b\d+ (kilo|kg) (abnehmen|afvallen)|"
        r"\b(abnehmen|afvallen) (ohne|zonder) (diat|dieet|sport)|"
        r"\bgeld verdienen (von zu hause|vanuit huis|online)",
        r"\bperdere (fino a )?\d+ (chili|kg)|dimagrire (senza|velocemente)|"
        r"\bguadagna(re)? (soldi|denaro) (da casa|online)",
        r"\bperdre (jusqu.a )?\d+ (kilos|kg)|maigrir (sans (regime|effort)|vite)|"
        r"\bgagne(r|z) de l.argent (depuis chez (vous|soi)|en ligne)",
    ),
    # Extortion ("sextortion"): a stranger claims to have broken into the reader's device and
    # filmed them, and wants bitcoin not to send the film to their contacts. One phrase a part,
    # in every language read; two parts are needed (`_MIN_PARTS`): one alone ("a video of you",
    # "adult sites", "my bitcoin address") is not it.
    "lure.extortion": (
        # I broke into your device.
        r"\bi (have )?(hacked|infected|gained access to|got access to|have access to|have full "
        r"control (of|over)|installed (a |my )?(trojan|malware|spyware|virus) on) (your|ur) "
        r"(device|computer|phone|account|e-?mail|webcam|camera|system|operating system)s?\b|"
        r"\bich habe (ihr|dein|deinen|ihren) (gerat|computer|konto|handy|e-?mail-?konto) gehackt|"
        r"\bj.ai (pirate|hacke|infecte) (votre|ton) (appareil|ordinateur|compte|telephone)|"
        r"\bik heb (je|uw) (apparaat|computer|account|telefoon) gehackt|"
        r"\b(eu )?(hackeei|invadi|infectei) (seu|o seu|teu) (dispositivo|computador|celular|conta)|"
        r"\b(he hackeado|hackee|infecte) (tu|su) (dispositivo|ordenador|computadora|cuenta|"
        r"telefono)|\bho (hackerato|violato|infettato) il (tuo|suo) (dispositivo|computer|account|"
        r"telefono)",
        # I filmed you.
        r"\b(recorded|filmed) (a video of you|you\b)|\b(videos?|footage|recordings?) of you\b|"
        r"\bvideo von (ihnen|dir)\b|\bvideo de (vous|toi)\b|\bvideo van (je|jou|u)\b|"
        r"\bvideo (seu|de voce|com voce)\b|\bvideo (tuyo|de usted|de ti)\b|\bvideo di (te|lei)\b",
        # I will send it to everyone you know.
        r"\b(send|share|forward|distribute|release|leak) (it|this|them|the (video|videos|recording|"
        r"footage)) to (all )?(your )?(contacts|friends|family|colleagues|relatives)\b|"
        r"\ban (alle )?(ihre|deine) kontakte\b|\ba (tous )?(vos|tes) contacts\b|"
        r"\bnaar (al )?(je|uw) contacten\b|\bpara (todos )?(os )?seus contatos\b|"
        r"\ba (todos )?(tus|sus) contactos\b|\ba tutti i (tuoi|suoi) contatti\b",
        # Pay me in bitcoin.
        r"\b(my|this|the following) (bitcoin|btc) (wallet|address)\b|\b(pay|send|transfer) "
        r"(me )?[$€£]?\s?\d[\d,.]* ?(usd|eur|gbp|dollars|euros?|pounds)? (in|of|worth of) "
        r"(bitcoin|btc)\b|\b(meine|diese) (bitcoin|btc)-?(wallet|adresse)|\b(mon|ce) "
        r"(portefeuille|adresse) (bitcoin|btc)|\b(mijn|dit) (bitcoin|btc)-?(portemonnee|adres|"
        r"wallet)|\b(minha|esta) carteira (de )?(bitcoin|btc)|\b(mi|esta) (billetera|cartera|"
        r"direccion) (de )?(bitcoin|btc)|\b(il mio|questo) (portafoglio|indirizzo) (bitcoin|btc)",
        # You watched adult sites.
        r"\b(adult|porn\w*|xxx) (site|website|videos?|content)s?\b",
    ),
    "lure.action": (
        r"click (here|below|the (link|button))|clique (aqui|no (link|botao))",
        r"klicken sie (hier|auf)|klik (hier|op)|haga clic|cliquez (ici|sur)|clicca qui",
        r"(log ?in|sign ?in) (here|now|to (your|view))|acesse (agora|aqui|sua conta)",
    ),
}
# The standard library's own regular-expression parser (no public name, no type stubs): it reads
# each phrase pattern once, at import, to find the words every match of it must contain.
_sre: Any = importlib.import_module("re._parser")
_MAX_STRINGS = 64  # strings a run of fixed pattern items may expand to
_EDGE = "\x00"  # stands for `\b` in a needed string: a word starts or ends there
_WORD = re.compile(r"\w+")
_SEP = "\x01"  # between the distinct words of a text, to look for parts of words


def _exact(item: tuple[Any, Any]) -> set[str] | None:
    """Every string `item` (one parsed pattern element) can match, if they are few; else None."""
    op, av = item
    if op is _sre.LITERAL:
        return {chr(av)}
    if op is _sre.AT:  # \b, ^, $: zero-width
        return {_EDGE if av is _sre.AT_BOUNDARY else ""}
    if op is _sre.IN:
        ok = all(o is _sre.LITERAL for o, _ in av) and len(av) <= 8
        return {chr(c) for _, c in av} if ok else None
    if op is _sre.SUBPATTERN:
        return _exact_sequence(av[3])
    if op is _sre.BRANCH:
        strings: set[str] = set()
        for branch in av[1]:
            found = _exact_sequence(branch)
            if found is None or len(strings) + len(found) > _MAX_STRINGS:
                return None
            strings |= found
        return strings
    if op is _sre.MAX_REPEAT and av[0] == 0 and av[1] == 1:
        inner = _exact_sequence(av[2])
        return None if inner is None else inner | {""}
    return None


def _exact_sequence(items: Any) -> set[str] | None:
    strings = {""}
    for item in items:
        found = _exact(item)
        if found is None or len(strings) * len(found) > _MAX_STRINGS:
            return None
        strings = {a + b for a, b in product(strings, found)}
    return strings


def _needed(items: Any) -> frozenset[str] | None:
    """Strings one of which every match of the parsed sequence `items` contains, or None when
    there is no such set: the prefilter of `_Alternation`. Candidates are the strings of each
    stretch of fixed consecutive items (`verify (your|the) ` -> two strings) and each group's or
    alternation's own needed strings; the most selective for the fewest searches wins."""
    best: set[str] | frozenset[str] | None = None

    def consider(strings: set[str] | frozenset[str] | None) -> None:
        nonlocal best
        if (
            strings
            and all(s.strip(_EDGE) for s in strings)
            and (best is None or _selective(strings) > _selective(best))
        ):
            best = strings

    def stretches(run: list[set[str]]) -> None:
        for start in range(len(run)):
            strings = {""}
            for found in run[start:]:
                if len(strings) * len(found) > _MAX_STRINGS:
                    break
                strings = {a + b for a, b in product(strings, found)}
                consider(strings)

    run: list[set[str]] = []
    for item in items:
        found = _exact(item)
        if found is not None:
            run.append(found)
        else:
            stretches(run)
            run = []
        op, av = item
        if op is _sre.SUBPATTERN:
            consider(_needed(av[3]))
        elif op is _sre.BRANCH:
            branches = [_needed(branch) for branch in av[1]]
            if all(branches):
                consider(frozenset().union(*(b for b in branches if b is not None)))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] >= 1:
            consider(_needed(av[2]))
    stretches(run)
    return None if best is None else frozenset(best)


def _words_in(needed: str) -> frozenset[str]:
    """The whole words of `needed`: those a word edge or a non-word character bounds on each
    side, so that any text holding `needed` holds them among its words."""
    return frozenset(
        m.group() for m in _WORD.finditer(needed) if m.start() > 0 and m.end() < len(needed)
    )


def _pieces_in(needed: str) -> tuple[str, ...]:
    """The cut words of `needed` (at its start or end), as they must occur in `_SEP`-joined
    words of a text holding it: the end of a word, its start, or anywhere in it."""
    pieces = []
    for m in _WORD.finditer(needed):
        start, end = m.start() == 0, m.end() == len(needed)
        if start or end:
            pieces.append(("" if start else _SEP) + m.group() + ("" if end else _SEP))
    return tuple(pieces)


def _selective(strings: set[str] | frozenset[str]) -> tuple[bool, bool, int, int]:
    """Rank needed-string sets: few strings of 4 letters or more, best each a whole word (one
    look-up in the text's words; else one search of the text), else the longest shortest one."""
    words = [_words_in(s) for s in strings]
    quality = min(len(s.replace(_EDGE, "")) for s in strings)
    good = quality >= 4
    return (good, all(words), -len(strings) if good else quality, quality)


# Every needed string of every alternation (markers and all), with its whole words and its cut
# words: a text holds it only if its words include the whole words and its joined words the
# cut ones (a necessary test only, and cheaper than a search of the whole text).
_NEEDED: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {}
# The same strings by their longest whole word, so that a text's words find the few worth
# testing; those without a whole word are tested on every text, by their cut words, each cut
# word looked for once in a text however many strings share it.
_BY_WORD: dict[str, list[str]] = {}
_WITHOUT_WORD: dict[str, frozenset[str]] = {}
_WITHOUT_WORD_PIECES: set[str] = set()
_LAST: tuple[str, frozenset[str]] = ("", frozenset())


def _add_needed(string: str) -> None:
    if string in _NEEDED:
        return
    whole, pieces = _words_in(string), _pieces_in(string)
    _NEEDED[string] = (whole, pieces)
    if whole:
        _BY_WORD.setdefault(max(whole, key=lambda w: (len(w), w)), []).append(string)
    else:
        _WITHOUT_WORD[string] = frozenset(pieces)
        _WITHOUT_WORD_PIECES.update(pieces)


def _present(text: str) -> frozenset[str]:
    """The needed strings `text` may hold; the last text's answer is kept, as the same folded
    text goes through every alternation in turn."""
    global _LAST
    last = _LAST
    if last[0] is text:
        return last[1]
    words = set(_WORD.findall(text))
    joined = _SEP + _SEP.join(words) + _SEP
    pieces = {piece for piece in _WITHOUT_WORD_PIECES if piece in joined}
    found = {s for s, needs in _WITHOUT_WORD.items() if needs <= pieces}
    for word in words & _BY_WORD.keys():
        for s in _BY_WORD[word]:
            whole, cut = _NEEDED[s]
            if whole <= words and all(piece in joined for piece in cut):
                found.add(s)
    _LAST = (text, frozenset(found))
    return _LAST[1]


class _Alternation:
    """`prefix(?:(?:p1)|(?:p2)|...)` over a text, with the same matches, but tried only with the
    phrases whose needed strings occur in the text. A phrase that cannot match anywhere changes
    nothing in an alternation, and most texts hold the words of few phrases, so most of the
    regular-expression work (once the largest cost of an analysis) is skipped.

    The alternation is never compiled whole: each top-level alternative of each phrase is
    searched on its own, and the leftmost match (at a tie, the earliest alternative's) is the
    whole alternation's, as its engine would take it. Alone, most alternatives start with a
    fixed word or letter, which the engine finds many times faster than it tries a leading `\b`
    at every character; the `\b` is then tested at each match instead (see `_Branch`)."""

    def __init__(self, patterns: list[str], prefix: str = "") -> None:
        self.patterns, self.prefix = patterns, prefix
        self.needed = [_needed(_sre.parse(f"{prefix}(?:{p})")) for p in patterns]
        for needed in self.needed:
            for string in needed or ():
                _add_needed(string)
        self.branches = [tuple(_Branch(b, prefix) for b in _branches(p)) for p in patterns]

    def parts(self, hits: set[str]) -> set[int]:
        """The phrases (by index) that `hits` are matches of."""
        return {
            index
            for hit in hits
            for index, pattern in enumerate(self.patterns)
            if re.fullmatch(pattern, hit)
        }

    def hits(self, text: str) -> set[str]:
        present = _present(text)
        chosen = [
            branch
            for needed, branches in zip(self.needed, self.branches, strict=True)
            if needed is None or not needed.isdisjoint(present)
            for branch in branches
        ]
        found: set[str] = set()
        if not chosen:
            return found
        nexts = [branch.search(text, 0) for branch in chosen]
        pos = 0
        while True:
            best = None
            for index, match in enumerate(nexts):
                if match is not None and match.start() < pos:  # overlapped by the last match
                    match = nexts[index] = chosen[index].search(text, pos)
                if match is not None and (best is None or match.start() < best.start()):
                    best = match
            if best is None:
                return found
            found.add(best.group(0))
            pos = best.end()


_BOUNDARY = re.compile(r"\b")
_compiler: Any = importlib.import_module("re._compiler")  # as `_sre` above


class _Branch:
    """One top-level alternative of a phrase, behind the alternation's prefix: `search` finds
    its leftmost match from `pos` that `prefix(?:branch)` finds. A `\b` prefix is left out of
    the compiled pattern when the branch alone has a fixed start the engine can scan for, and
    tested at each match (none of the phrases can match an empty string, so every match is
    one `finditer` would give)."""

    def __init__(self, branch: str, prefix: str) -> None:
        bare = branch.removeprefix("\\b") if prefix == "\\b" else branch
        parsed = _sre.parse(bare)
        if parsed.getwidth()[0] == 0 or prefix not in ("", "\\b"):
            raise ValueError(f"phrase may match an empty string: {branch!r}")
        self.edge = prefix == "\\b" and _scannable(parsed)
        self.pattern = re.compile(bare if self.edge or not prefix else f"{prefix}(?:{branch})")

    def search(self, text: str, pos: int) -> re.Match[str] | None:
        match = self.pattern.search(text, pos)
        while self.edge and match is not None and not _BOUNDARY.match(text, match.start()):
            match = self.pattern.search(text, match.start() + 1)
        return match


def _scannable(parsed: Any) -> bool:
    """Whether the engine finds the starts of this parsed pattern by a fast scan (a fixed
    prefix or a set of first letters) rather than trying it at every character."""
    return bool(
        _compiler._get_literal_prefix(parsed, 0)[0] or _compiler._get_charset_prefix(parsed, 0)
    )


def _branches(pattern: str) -> list[str]:
    """`pattern` cut at each `|` outside groups and character sets."""
    out, depth, start, index, in_set = [], 0, 0, 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 1
        elif in_set:
            in_set = char != "]"
        elif char == "[":
            in_set = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            out.append(pattern[start:index])
            start = index + 1
        index += 1
    return [*out, pattern[start:]]


# Every phrase starts at a word start: the leading `\b` lets the regex engine reject the
# middle of words at once instead of trying each alternative there (about 3x faster).
_COMPILED = {code: _Alternation([p for p in pats if p], r"\b") for code, pats in _LURES.items()}


# Text dressed up to slip past filters: mathematical bold letters, letters loaded with
# combining marks, zero-width characters inside words.
_OBFUSCATED = re.compile(
    "[\U0001d400-\U0001d7ff]{3}|[A-Za-z][\u0300-\u036f\u0489]{1,}[A-Za-z][\u0300-\u036f]"
    "|\\w[\u200b\u200c\u200d\u2060\ufeff]\\w"
)
# One character each match of `_OBFUSCATED` holds: most texts have none, and finding that out
# this way is ten times cheaper than trying the pattern at every character.
_OBFUSCATING = re.compile(
    "[\U0001d400-\U0001d7ff\u0300-\u036f\u0489\u200b\u200c\u200d\u2060\ufeff]"
)


def check_obfuscation(texts: list[str], findings: Findings) -> None:
    for text in texts:
        window = text[:200_000]
        match = _OBFUSCATING.search(window) and _OBFUSCATED.search(window)
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


# Fewer words than this in every body together, with pictures in the HTML, is a message that
# says what it says in a picture: a filter, and a reader's caution, have no words to go on.
PICTURE_ONLY_WORDS = 40
_TEXT_WORD = re.compile(r"\w{2,}")


def check_picture_only(htmls: list[str], bodies: list[str], findings: Findings) -> None:
    if not htmls or not findings.html_images:
        return
    words = 0
    for text in bodies:  # counted only up to the threshold: a long body needs no full count
        words += sum(1 for _ in islice(_TEXT_WORD.finditer(text), PICTURE_ONLY_WORDS - words))
    if words < PICTURE_ONLY_WORDS:
        findings.flag(
            "html.picture_only",
            f"{findings.html_images} picture(s) and only {words} words of text",
        )


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
# Lures told in parts, each one phrase of the family: so many of its phrases must be there.
_MIN_PARTS = {"lure.extortion": 2}


# The lures a phish is written to deliver, which it states where the reader starts: in the
# subject or the opening lines of a body. In the calibration half, of the 132 phish with a
# prize, payment, credential, password or pressure phrase, all but one have their first within
# 260 words of the start of the subject or of a body; in 14 of the 23 hard-ham newsletters with
# one (a digest's "congratulations to the winners", "patch immediately", "million euros") it is
# past 300 words, in the middle of a long issue, as news. Past the opening these count only
# where the message asks the reader to act: in the sentence a link stands in or follows, and in
# an HTML link's own text (`links.lead_in`). Otherwise 300 words of filler before the lure (in
# white or tiny type, which the reader does not see) would hide it; a lure has to be stated
# where the reader is to act on it. A newsletter's news is in its items' text, seldom in the
# one sentence a "read more" link follows (in the calibration half, one hard-ham advert's "all
# changes reflected immediately" regains its pressure phrase so). Not the call to click
# (`lure.action`), which is at the foot of a phish as often as not, nor the story-like lures
# (advance fee, romance), which a phish may tell at length.
_OPENING_ONLY = frozenset(
    {
        "lure.credential",
        "lure.urgency",
        "lure.prize",
        "lure.payment",
        "lure.password",
        "lure.crypto",
        "lure.scam_offer",
    }
)
OPENING_WORDS = 300


def opening_text(texts: list[str], limit: int) -> str | None:
    """`folded_text` of the first `OPENING_WORDS` words of each text (the subject and each
    body), or None when no text is longer than that (the opening is then the whole text)."""
    # maxsplit: a long text is split into its first words and the rest, not into every word.
    words = [t[:limit].split(maxsplit=OPENING_WORDS) for t in texts]
    if all(len(w) <= OPENING_WORDS for w in words):
        return None
    return folded_text([" ".join(w[:OPENING_WORDS]) for w in words], limit)


def check_language(folded: str, findings: Findings, opening: str | None = None) -> None:
    """Lure phrases in `folded_text(...)` of the subject and bodies (less the phrases an
    approach tactic owns: see `check_approach`); those of `_OPENING_ONLY` only when they are
    in `opening` (`opening_text` of the same texts, with the links' lead-ins) too, if it is
    given."""
    for code, alternation in _COMPILED.items():
        hits = alternation.hits(folded)
        if opening is not None and code in _OPENING_ONLY:
            hits = {hit for hit in hits if hit in opening}
        if code in _MIN_PARTS and len(alternation.parts(hits)) < _MIN_PARTS[code]:
            continue
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
        r"\b(usd|gbp|eur) ?\d[\d,.]* ?(k )?(per|for (each|every|a)|an?) (short )?(report|paper|"
        r"briefing|article|hour|call|analysis)\b|\b\d[\d,.]* ?(k )?(per|for (each|every|a)|an?) "
        r"(short )?(report|paper|briefing|article|hour|call|analysis)\b",
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
        # Not a privacy promise about the reader's own address ("we never share your personal
        # e-mail address", a forwarding service's "keep your private email address safe").
        r"(?<!share )(?<!sell )(?<!rent )(?<!keep )(?<!protect )(?<!disclose )(?<!reveal )"
        r"(?<!hide )(?<!expose )\b(your|a) (personal|private|home|non[- ]?work) (e-?mail"
        r"( address)?|phone|mobile|number|account)\b",
        r"\brather than (your )?(work|parliamentary|official) (e-?mail|account|address)\b",
        r"加(我|个)?(微信|whatsapp|telegram)|微信号|添加微信|私人(邮箱|电话|手机)|微信联系",
        r"(в|через) (телеграм|вотсап|ватсап|whatsapp|telegram|signal)|"
        r"личн\w* (почт|телефон|номер|адрес)",
    ),
}
# Flattery is reported only with scarcity or haste in the same message (either alone is the
# stuff of ordinary invitations).
_FLATTERY = (
    r"\byour (impressive|outstanding|remarkable|exceptional|distinguished) (profile|background|"
    r"career|record|experience|expertise|work)\b|\b(impressive|outstanding|remarkable|"
    r"exceptional|distinguished) (profile|background|career|record|experience|expertise|work)\b",
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
        cjk = [p for p in patterns if _CJK.search(p)]
        cyrillic = [p for p in patterns if _CYRILLIC.search(p) and p not in cjk]
        latin = [p for p in patterns if p not in cjk and p not in cyrillic]
        self.latin = _Alternation([p.removeprefix("\\b") for p in latin], "\\b") if latin else None
        self.cjk = _Alternation(cjk) if cjk else None
        self.cyrillic = _Alternation(cyrillic) if cyrillic else None

    def hits(self, text: str, cjk: bool, cyrillic: bool) -> set[str]:
        found: set[str] = set()
        for pattern, wanted in ((self.latin, True), (self.cjk, cjk), (self.cyrillic, cyrillic)):
            if pattern is not None and wanted:
                found |= pattern.hits(text)
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


def check_approach(folded: str, findings: Findings) -> str:
    """Flag each approach tactic with its own indicator and the phrases that raised it, and
    return `folded` without those phrases for `check_language`: a phrase counts for one sign
    only ("payment can be made in USDT" is an offer of payment in cryptocurrency, not also a
    crypto airdrop lure)."""
    cjk, cyrillic = bool(_CJK.search(folded)), bool(_CYRILLIC.search(folded))
    owned: set[str] = set()
    for code, phrases in _APPROACH_COMPILED.items():
        hits = phrases.hits(folded, cjk, cyrillic)
        if hits:
            findings.flag(code, ", ".join(sorted(hits)[:5]))
            owned |= hits
    flattery = _FLATTERY_COMPILED.hits(folded, cjk, cyrillic)
    haste = _HASTE_COMPILED.hits(folded, cjk, cyrillic)
    if flattery and haste:
        findings.flag(
            "approach.flattery_urgency", ", ".join([*sorted(flattery)[:3], *sorted(haste)[:2]])
        )
    for phrase in sorted(owned, key=len, reverse=True):
        folded = folded.replace(phrase, " ")
    return folded


def _found(match: re.Match[str] | None) -> str | None:
    """What a pattern found, as the evidence shown beside its indicator."""
    return match.group(0) if match else None


# A website's own reply to its contact form, which repeats what the visitor typed: spammers
# type their lure into strangers' forms with the victim's address, so it arrives from a real
# site that passes every sender check. Only words that name the form count: a help desk's
# "thank you for contacting us" or "we have received your message" answers a real customer,
# and such replies often say "congratulations" or "log in to your account".
_FORM_REPLY = re.compile(
    r"\byou (have )?submitted (the |a |our )?\[?(contact( us)?|enquiry|inquiry|feedback)\]? form"
    r"|\b(new|your) (contact|enquiry|inquiry|feedback|website) form (submission|entry|message)"
    r"|\bthank you for (filling in|submitting|completing) (the |our )?(contact|enquiry|inquiry|"
    r"feedback|website) form"
    r"|\bformulario de contato|\bformulario de contacto|\bkontaktformular"
)


def form_reply(folded: str) -> str | None:
    """The words of a contact form's automatic reply in the first lines, if any."""
    return _found(_FORM_REPLY.search(folded[:3000]))


# The opener of CEO fraud and gift-card scams: a request for help or a favour with nothing in
# it to check (the task, the gift cards or the payment come in the second message).
_FAVOUR = re.compile(
    r"\b(are you (available|free|around|at your desk|in the office)|do you have a (moment|minute|"
    r"second|few minutes)|(i|we) need (a|your) (quick |small |little )?(favou?r|help|assistance)|"
    r"can you (help me|do me a|do something for me|handle a task)|(send|share|text|give) me "
    r"your (cell|mobile|whatsapp|phone|personal|direct) (number|phone|line)|i('m| am) (in a "
    r"meeting|busy in a meeting|tied up)|if you have a (moment|minute)|help needed|quick (task|"
    r"favou?r|request))\b"
)
FAVOUR_MAX_WORDS = 60


def favour_request(folded: str) -> str | None:
    """The words of a bare request for help or a favour, in a text of a few lines only."""
    if len(_TEXT_WORD.findall(folded[:2000])) > FAVOUR_MAX_WORDS:
        return None
    return _found(_FAVOUR.search(folded))


# Callback phishing: an invoice or renewal nobody ordered ("a payment of USD390.88 will be
# processed today") and a number to ring to cancel it, where a person talks the victim into
# paying or installing remote access. There is no link to check, on purpose. The words are
# those of a charge still to come or a renewal: a shop's receipt ("order number 4471",
# "your card has been charged", "total paid") with its customer-service number is not one.
_CHARGE = re.compile(
    r"\b(auto(matic)?[- ]?renew(al|ed)?|will be (charged|debited|deducted|processed|renewed|"
    r"billed)|(has been|was) (debited|deducted|renewed)|subscription (has been |was |will be )?"
    r"(renewed|activated|extended))\b"
)
_PHONE = re.compile(r"(?:\+?1[ .-]?)?\(?\b\d{3}\)?[ .-]\d{3}[ .-]\d{4}\b")


def callback_charge(folded: str) -> str | None:
    """A charge or renewal notice with a telephone number in it, if any: the words and number."""
    charge = _CHARGE.search(folded)
    phone = _PHONE.search(folded) if charge else None
    return f"{charge.group(0)!r} and {phone.group(0)!r}" if charge and phone else None


def persona(name: str, folded: str) -> str | None:
    """The persona a first contact writes in (`executive search`, `think tank`, ...), if any."""
    return _found(_PERSONA.search(fold(name)) or _PERSONA.search(folded[:3000]))

"""Boilerplate lines: page furniture that is not the article ("Trending Now", "Advertisement").

A line is boilerplate only when the whole line is one of these forms and it is short; a body
sentence that merely contains such words ("Sign up for the draft closed on Friday, ...") stays.
A short web-page notice (a paywall, an app promotion, a newsletter sign-up: :func:`is_web_notice`)
is told by the words it needs wherever they stand, and by speaking to the reader.
"""

from __future__ import annotations

import re

_MAX_LENGTH = 160
_MAX_PREFIXED_LENGTH = 250

# Whole-line forms (matched case-insensitively against the line without edge punctuation).
_WHOLE_LINE = re.compile(
    r"(?:"
    r"trending(?: now| stories| topics| news)?|breaking(?: news)?|just in|live updates"
    r"|most (?:read|popular|viewed|shared|watched)(?: (?:stories|articles|news|today))?"
    r"|(?:skip |close )?(?:advertisement|advertisements|advert|ad|ads)"
    r"|sponsored(?: content| links?| stories)?|paid (?:content|post)|promoted(?: content)?"
    r"|(?:story|article) continues (?:below|after (?:the )?(?:advertisement|ad))"
    r"(?: advertisement)?"
    r"|(?:advertisement|ad) (?:story|article|scroll)? ?continues below"
    r"|continue reading(?: (?:below|the main story|the story|the article))?"
    r"|scroll (?:down )?to continue(?: reading| with content)?"
    r"|share(?: this| the)?(?: article| story| post| page)?(?: on \w+(?: or \w+)?)?"
    r"|(?:print|email|tweet)(?: this(?: article| story| page)?)?"
    r"|share (?:on|via) (?:facebook|twitter|x|linkedin|whatsapp|email|reddit)"
    r"|(?:read|see|view) more(?: (?:here|stories|news|articles|on this topic))?"
    r"|related(?: (?:articles?|stories|coverage|content|reading|news|posts|links|topics))?"
    r"|recommended(?: (?:for you|stories|reading|articles|videos))?"
    r"|you (?:may|might) also (?:like|be interested in)|more (?:stories|news) like this"
    r"|(?:sign up|subscribe|register)(?: now| today| here| for free)?"
    r"|(?:sign up|subscribe|register|opt in) (?:now |today |here )?(?:for|to) (?:our|the|a|my)"
    r" (?:[\w'’-]+ ){0,5}(?:newsletters?|alerts|e-?mails|e-?mail updates|updates|briefing|"
    r"digest|bulletin)\b.{0,80}"
    r"|(?:get|receive) (?:our|the) (?:[\w'’-]+ ){0,5}(?:newsletters?|alerts|briefing|digest)\b.*"
    r"|click here(?: to .*)?|tap here(?: to .*)?"
    r"|follow us(?: on .*| @.*)?"
    r"|follow (?:\S+ ){0,3}on (?:twitter|x|facebook|instagram|tiktok|linkedin|threads|"
    r"bluesky|youtube|telegram|whatsapp)\b.*"
    r"|like us on facebook.*|join us on .*(?:facebook|telegram|whatsapp).*"
    r"|(?:download|get) (?:our|the) (?:free )?app.*"
    r"|(?:©|\(c\)|copyright ©?) ?\d{4}\b.{0,100}"
    r"|(?:leave|post|add|view|show|read) (?:a |the )?comments?|\d+ comments?"
    r"|back to top|(?:next|previous) (?:article|story|post)"
    r"|(?:loading|load more)(?:\.{3}|…)?|(?:please )?enable javascript.*"
    r")",
    re.IGNORECASE,
)
# The same furniture in German, French, Spanish, Italian and Portuguese, and wire-copy notices.
# The lookahead names the characters the forms open with: a line opening with none of them is
# spared the trial of every form (keep it in step with the forms).
_WHOLE_LINE_INTL = re.compile(
    r"(?=[acdijklmnoprstuvwzà©])(?:"
    r"anzeige|werbung|mehr zum thema|mehr dazu|lesen sie auch|lesen sie mehr|weiterlesen"
    r"|auch lesen|auch interessant|mehr themen|weitere themen"
    r"|top[- ]themen(?: (?:bei|von|auf) .{1,40})?"
    r"|(?:das|dieses|dies) (?:thema )?könnte (?:sie|dich|euch) (?:auch )?interessieren"
    r"|artikel teilen|teilen|(?:zum |jetzt )?newsletter(?: abonnieren| bestellen| anmelden)?"
    r"|zur startseite|kommentare?"
    r"|publicité|publicite|partager|réagir|à lire aussi|a lire aussi|lire aussi|lire la suite"
    r"|(?:s'abonner|abonnez-vous)(?: à la newsletter)?|inscrivez-vous à la newsletter"
    r"|publicidad|te puede interesar|lee también|lea también|ver también|vea también|seguir leyendo"
    r"|más información|comparte esta noticia|compartir|suscríbete|suscribete"
    r"|pubblicità|pubblicita|leggi anche|leggi tutto|condividi|iscriviti alla newsletter"
    r"|(?:©\s*)?riproduzione riservata(?:\s*©)?"
    r"|publicidade|leia também|leia mais|veja também|veja mais|compartilhe|compartilhar"
    r"|assine|continua após a publicidade|continua depois da publicidade|continue lendo"
    r"|our standards: the thomson reuters trust principles"
    r"|(?:advertisement|ad)\s*[·•|]\s*scroll to continue(?: reading)?"
    r"|(?:aktualisiert|mis à jour|mise à jour|actualizado|atualizado|aggiornato|updated)"
    r" (?:il y a |hace |há |ha |vor )?(?:\d{1,3}|an?|un|une|una|um|uma|einer?) "
    r"(?:minutes?|hours?|days?|minuten|stunden?|tagen?|heures?|jours?|minutos?|horas?|días?"
    r"|dias?|minuti|ore|ora|giorni?)(?: ago| fa)?"
    r")",
    re.IGNORECASE,
)
# Wire-copy lines: the newsletter promo ("... our Morning Bid U.S. newsletter. Sign up here."),
# the agency's copyright ("Copyright 2019 The Associated Press. All rights reserved. This
# material may not be published, broadcast, rewritten or redistributed.").
_WIRE_NOTICE = re.compile(
    r".{0,160}\bnewsletters?\b.{0,60}\b(?:sign up|subscribe) here"
    r"|(?:©|\(c\)|copyright)\s*\d{4} .{0,80}all rights reserved\b.{0,160}",
    re.IGNORECASE,
)
# A photo credit: "Foto: dpa", "Photo credit: Jane Doe", "Crédits photos : Agence" (a line
# holding a colon, the only ones tried).
_CREDIT = re.compile(
    r"(?:copyright|photos?|fotos?|bild(?:er)?|images?|pictures?|credits?"
    r"|(?:photo|foto|image|picture) credits?|crédits?(?: photos?)?|créditos?(?: (?:de )?fotos?)?)"
    r" ?: ?[^\W\d_].{0,70}",
    re.IGNORECASE,
)
# Web-page notices anywhere in a short line, each with the words it cannot do without (lower
# case) as a cheap test first: a paywall ("Subscribe now for the full story"), an app promotion
# ("... download our apps for iOS and Android"), a newsletter sign-up ("Never miss the latest
# news by signing up to our newsletter"). A paywall or sign-up notice speaks to the reader (a
# report about subscribers does not).
_MAX_NOTICE_LENGTH = 200
_TO_THE_READER = (
    r"(?=.*\b(?:you|your|please|now|today|our|log ?in|sign in|jetzt|ihr|dein|vous|votre|nos"
    r"|nuestr[oa]s?|usted|você|nossa|nosso|vostro|nostr[oa])\b)"
)
_NOTICES = (
    (
        ("subscri", "abonn", "suscri", "assin", "abbona"),
        re.compile(
            _TO_THE_READER + r"(?=.*\b(?:subscri|abonn|suscri|assin|abbona)\w*)"
            r"(?=.*\b(?:full (?:story|article)|continue reading|keep reading"
            r"|read (?:the )?(?:full|rest)|(?:unlimited|immediate|full) access"
            r"|weiterlesen|lire la suite|seguir leyendo|continuar lendo|continua a leggere)\b)",
            re.IGNORECASE | re.DOTALL,
        ),
    ),
    (
        ("download",),
        re.compile(
            r"(?=.*\bdownload (?:(?:the|our) )?(?:free )?(?:[\w'’.-]+ ){0,2}apps?"
            r" (?:for|on|from|in) (?:the )?(?:ios|android|iphone|app store|google play)\b)",
            re.IGNORECASE | re.DOTALL,
        ),
    ),
    (
        ("newsletter",),
        re.compile(
            _TO_THE_READER + r"(?=.*\bnewsletters?\b)"
            r"(?=.*\b(?:sign(?:ing)?[ -]up|subscribe|register|anmelden"
            r"|abonnieren|inscrivez|suscr[ií]bete|iscriviti|assine|cadastre)\b)",
            re.IGNORECASE | re.DOTALL,
        ),
    ),
)
# Label-prefixed promos in the other languages: "Lesen Sie auch: ...", "À lire aussi : ...".
_PREFIXED_INTL = re.compile(
    r"(?:lesen sie auch|lesen sie mehr|mehr zum thema|mehr dazu|auch lesen|à lire aussi"
    r"|a lire aussi|lire aussi|voir aussi|te puede interesar|lee también|lea también|ver también"
    r"|vea también"
    r"|más información|leggi anche|leia também|leia mais|veja também)"
    r"\s*(?::|\||»|>>|[-–—](?=\s))\s*\S.*",
    re.IGNORECASE,
)
# The copyright notice that ends a line, kept apart from _WHOLE_LINE: its leading ``.{0,100}``
# tries every cut of a line. A line it matches whole ends in "d" ("reserved"; the full stop is
# stripped before matching), so only those are tried.
_RIGHTS_RESERVED = re.compile(r".{0,100}all rights reserved\.?", re.IGNORECASE)
# Label-prefixed promos: "Read more: ...", "Related: ...", "ALSO READ | ...".
_PREFIXED = re.compile(
    r"(?:read more|also read|read also|see also|related|related (?:articles?|stories|coverage)"
    r"|recommended|more from [\w .'-]{1,40}|more on this|you may also like|don't miss|"
    r"do not miss|must read|must watch|watch|listen|tags?|topics?|filed under|categories)"
    r"\s*(?::|\||»|>>|[-–—](?=\s))\s*\S.*",
    re.IGNORECASE,
)
_HERE = tuple(f"{word}{end}" for word in ("here", "Here", "HERE") for end in ("", ".", "!"))
_COPYRIGHT = ("©", "(c)", "(C)", "copyright", "Copyright", "COPYRIGHT")
# The letters every match of _PREFIXED_INTL opens with.
_INTL_OPENINGS = frozenset("lLmMàÀaAvVtT")
# No line _WHOLE_LINE_INTL matches is longer.
_MAX_INTL_LENGTH = 64
_EDGES = " \t*_#>•·|-–—:"
# A navigation menu: three or more short capitalised items between pipes or bullets.
_MENU_SPLIT = re.compile(r"\s*[|•·]\s*")
_MENU_ITEM = re.compile(r"^(?!By\s)[^\W\d_][^\d|•·]{0,24}$")
_MENU_ITEMS = 3


def is_boilerplate(line: str) -> bool:
    """Whether the whole of ``line`` is page furniture rather than article text."""
    text = line.strip()
    if not text or len(text) > _MAX_PREFIXED_LENGTH:
        return False
    if _is_prefixed(text) or _is_menu(text) or _is_wire_notice(text):
        return True
    core = text.strip(_EDGES).rstrip(".!…")
    if len(core) > _MAX_LENGTH:
        return False
    if _WHOLE_LINE.fullmatch(core) is not None or (
        len(core) <= _MAX_INTL_LENGTH and _WHOLE_LINE_INTL.fullmatch(core) is not None
    ):
        return True
    return (":" in core and _CREDIT.fullmatch(core) is not None) or (
        core.endswith(("d", "D")) and _RIGHTS_RESERVED.fullmatch(core) is not None
    )


def _is_prefixed(text: str) -> bool:
    """Whether ``text`` is all of a label-prefixed promo (_PREFIXED, _PREFIXED_INTL). Each needs
    a separator after its label (one of :func:`_has_separator`'s, or a dash), looked for before
    either pattern is tried."""
    if "-" not in text and not _has_separator(text):
        return False
    if _PREFIXED.fullmatch(text) is not None:
        return True
    return (
        text[0] in _INTL_OPENINGS
        and _has_separator(text)
        and _PREFIXED_INTL.fullmatch(text) is not None
    )


def _has_separator(text: str) -> bool:
    """Whether ``text`` holds one of the separators a prefixed promo puts after its label."""
    return (
        ":" in text
        or "|" in text
        or "»" in text
        or ">" in text
        or " -" in text
        or ("–" in text or "—" in text)
    )


def _is_wire_notice(text: str) -> bool:
    """Whether ``text`` is all of a _WIRE_NOTICE; each of its forms ends in "here" or opens
    with a copyright sign or word, checked before the pattern's costly leading ``.{0,160}``."""
    if not text.endswith(_HERE) and not text.startswith(_COPYRIGHT):
        return False
    return _WIRE_NOTICE.fullmatch(text.rstrip(".!")) is not None


def is_web_notice(line: str) -> bool:
    """Whether ``line`` is a short web-page notice (:data:`_NOTICES`): a paywall, an app
    promotion, a newsletter sign-up. Web pages carry them; plain text is spared the test."""
    text = line.strip()
    if len(text) > _MAX_NOTICE_LENGTH:
        return False
    lowered = text.lower()
    return any(
        any(word in lowered for word in words) and pattern.match(text) is not None
        for words, pattern in _NOTICES
    )


def _is_menu(text: str) -> bool:
    if "|" not in text and "•" not in text and "·" not in text:
        return False  # one item
    items = [item for item in _MENU_SPLIT.split(text.strip(_EDGES)) if item]
    return len(items) >= _MENU_ITEMS and all(
        _MENU_ITEM.match(item) and item[0].isupper() and len(item.split()) <= 3 for item in items
    )

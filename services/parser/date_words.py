"""The words of datelines in English, German, French, Spanish, Italian and Portuguese.

Month names and their press abbreviations ("März", "févr.", "sept", "dic", "dez"), weekday
names, the labels that introduce a publication or update date ("Erschienen am", "Publié le",
"Actualizado", "Aggiornato il", "Atualizado em"), the small words between a date's parts ("am",
"à", "de", "ore", "às", "Uhr") and relative ages ("1 hour ago", "há 2 horas", "vor 3 Stunden").
All lower case; the patterns that use them match case-insensitively.
"""

from __future__ import annotations

from types import MappingProxyType


def _months(*names: tuple[int, str]) -> dict[str, int]:
    return {name: number for number, spelled in names for name in spelled.split()}


# fmt: off
MONTHS: MappingProxyType[str, int] = MappingProxyType(
    _months(
        # English
        (1, "jan january"),
        (2, "feb february"),
        (3, "mar march"),
        (4, "apr april"),
        (5, "may"),
        (6, "jun june"),
        (7, "jul july"),
        (8, "aug august"),
        (9, "sep sept september"),
        (10, "oct october"),
        (11, "nov november"),
        (12, "dec december"),
        # German
        (1, "januar jänner jän"),
        (2, "februar"),
        (3, "märz mär maerz"),
        (5, "mai"),
        (6, "juni"),
        (7, "juli"),
        (10, "okt oktober"),
        (12, "dez dezember"),
        # French
        (1, "janv janvier"),
        (2, "févr fevr février fevrier fév"),
        (3, "mars"),
        (4, "avr avril"),
        (6, "juin"),
        (7, "juil juillet"),
        (8, "août aout"),
        (9, "septembre"),
        (10, "octobre"),
        (11, "novembre"),
        (12, "déc décembre decembre"),
        # Spanish
        (1, "ene enero"),
        (2, "febrero"),
        (3, "marzo"),
        (4, "abr abril"),
        (5, "mayo"),
        (6, "junio"),
        (7, "julio"),
        (8, "ago agosto"),
        (9, "set septiembre setiembre"),
        (10, "octubre"),
        (11, "noviembre"),
        (12, "dic diciembre"),
        # Italian
        (1, "gen gennaio"),
        (2, "febbraio"),
        (4, "aprile"),
        (5, "mag maggio"),
        (6, "giu giugno"),
        (7, "lug luglio"),
        (9, "settembre"),
        (10, "ott ottobre"),
        (12, "dicembre"),
        # Portuguese
        (1, "janeiro"),
        (2, "fev fevereiro"),
        (3, "março marco"),
        (5, "maio"),
        (6, "junho"),
        (7, "julho"),
        (9, "setembro"),
        (10, "out outubro"),
        (11, "novembro"),
        (12, "dezembro"),
    )
)
# fmt: on


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


WEEKDAYS = _words(
    "mon tue tues wed thu thur thurs fri sat sun monday tuesday wednesday thursday friday "
    "saturday sunday "
    "mo di mi do fr sa so montag dienstag mittwoch donnerstag freitag samstag sonntag "
    "lun mar mer jeu ven sam dim lundi mardi mercredi jeudi vendredi samedi dimanche "
    "mié jue vie sáb lunes martes miércoles miercoles jueves viernes sábado sabado domingo "
    "gio lunedì lunedi martedì martedi mercoledì mercoledi giovedì giovedi venerdì venerdi "
    "domenica "
    "seg ter qua qui sex segunda terça terca quarta quinta sexta feira segunda-feira "
    "terça-feira quarta-feira quinta-feira sexta-feira"
)

# Labels of a publication date, then of an update (regular-expression alternatives).
PUBLISHED_LABELS = (
    r"(?:first\s+|originally\s+)?(?:published|posted|created|issued)",
    r"erschienen|veröffentlicht|publiziert",
    r"publié|publie|paru",
    r"publicado|publicada",
    r"pubblicato|pubblicata",
)
UPDATED_LABELS = (
    r"(?:last\s+)?(?:updated|modified|edited|revised)",
    r"aktualisiert|geändert|zuletzt\s+aktualisiert|stand",
    r"mis\s+à\s+jour|mis\s+a\s+jour|mise\s+à\s+jour|modifié|modifie|actualisé",
    r"actualizado|actualizada|modificado|atualizado|atualizada|última\s+atualização",
    r"aggiornato|aggiornata|ultimo\s+aggiornamento|modificato|modifica",
)
# The folded (lower-case) stems every label above holds, for a cheap pre-check.
LABEL_STEMS = (
    "published", "posted", "created", "issued", "updated", "modified", "edited", "revised",
    "erschienen", "veröffentlicht", "publiziert", "aktualisiert", "geändert", "stand",
    "publi", "paru", "jour", "modifi", "actualis", "actualiz", "atualiz", "pubblicat",
    "aggiorn",
)  # fmt: skip
UPDATE_STEMS = (
    "updat", "modif", "edit", "revis", "aktualis", "geändert", "stand", "jour", "actualis",
    "actualiz", "atualiz", "aggiorn",
)  # fmt: skip

# Small words between a dateline's parts: "am", "le", "à", "de", "ore", "às", "Uhr", "h".
FILLER_WORDS = _words(
    "on at the of date dated time local "
    "am um uhr den vom "
    "le à a du "
    "el de del a las la los "
    "il ore alle "
    "em às as o "
    "h hs"
)

# A relative age ("Updated 1 hour ago", "Atualizado há 2 horas"): an update the line does not
# date, read as filler.
RELATIVE_AGE = (
    r"(?:(?:há|ha|hace|vor|il\s+y\s+a|about|around)\s+)?(?:an?|un|une|una|um|uma|ein|eine|"
    r"\d{1,3})\s+"
    r"(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|"
    r"sekunden?|minuten?|stunden?|stunde|tagen?|tag|"
    r"secondes?|heures?|jours?|"
    r"segundos?|minutos?|horas?|días?|dias?|"
    r"secondi|minuti|minuto|ore|ora|giorni|giorno)"
    r"(?:\s+(?:ago|fa))?"
)

# A reading time beside the date ("Lesedauer: 3 Min.", "Temps de lecture : 4 min", "5 min read").
READING_TIME = (
    r"(?:(?:lesedauer|lesezeit|temps\s+de\s+lecture|lecture|tiempo\s+de\s+lectura|lectura|"
    r"tempo\s+di\s+lettura|lettura|tempo\s+de\s+leitura|leitura|reading\s+time|read\s+time)"
    r"\s*:?\s*(?:ca\.\s*)?\d{1,3}\s*(?:min(?:uten|utes?|utos?|uti)?\.?)"
    r"|\d{1,3}\s*(?:min(?:ute)?s?\.?)\s+(?:read|lecture|de\s+lectura|di\s+lettura|de\s+leitura|"
    r"lesen|lesezeit))"
)

"""A newsroom's appeal to its readers for money, printed inside the story:
"Support our journalism", "Become a member from £5 a month and help keep
our reporting free", "Jetzt spenden".

Whole blocks only, and only where the newsroom speaks for itself to the
reader: a story about a charity's appeal quotes it or tells it in the third
person, and a columnist who writes "our family gave to the food bank" names
no journalism. Quoted words are never an appeal.
"""

from __future__ import annotations

import re

# The newsroom asks for itself: the imperative forms, opening the block or
# one of its sentences ("… of our readers. Support us"), never inside one
# ("the charity asked readers to donate").
_ASK = (r"support\s+(?:us|our\s+(?:work|journalism|reporting|newsroom|mission|coverage)"
        r"|(?:independent|local|quality|public[-\s]interest|nonprofit|non-profit)\s+(?:journalism|news|reporting))"
        r"|donate(?:\s+(?:now|today|here|to\s+us))?|make\s+a\s+(?:donation|contribution)"
        r"|become\s+a\s+(?:member|supporter|patron|friend|subscriber)")
# What the money is for.
_FOR = r"journalism|reporting|newsroom|coverage|our\s+(?:work|stories|mission|site|publication)|readers"
# The reasons given: "funded by readers like you", "consider supporting us".
_WHY = (r"(?:readers|supporters|members|people)\s+like\s+you"
        r"|(?:funded|powered|sustained|supported|made\s+possible)\s+by\s+(?:our\s+)?(?:readers|you|members|supporters)"
        r"|(?:consider\s+)?support(?:ing)?\s+us|(?:make|give)\s+a\s+(?:gift|donation|contribution)|donat(?:e|ion|ing)"
        r"|becom(?:e|ing)\s+a\s+(?:member|supporter|patron)")
# The same asks in German, French, Spanish, Portuguese, Italian and Dutch.
_OTHER_LANGUAGES = (
    r"unterstützen\s+sie\s+(?:uns|(?:unseren|unabhängigen|guten|den)\s+\w*\s*journalismus)|jetzt\s+(?:spenden"
    r"|unterstützen|mitglied\s+werden)(?=\s*[.!:]?\s*$|\s*[!:])|soutenez(?:-nous|\s+(?:notre|le|un)\s+(?:journalisme|information|rédaction))"
    r"|fai(?:tes|re)\s+un\s+don|apoya\s+(?:nuestro|el)\s+periodismo|hazte\s+(?:socio|socia|miembro|suscriptor)"
    r"|haz\s+una\s+donación|dona\s+ahora|apoie\s+(?:o|nosso)\s+jornalismo|faça\s+uma\s+doação"
    r"|sostieni\s+(?:il\s+(?:nostro\s+)?giornalismo|l'informazione|la\s+nostra\s+informazione)"
    r"|fai\s+una\s+donazione|steun\s+(?:ons|onze\s+journalistiek)|word\s+(?:lid|donateur)")

READER_APPEAL = re.compile(
    rf"""^(?!.*["“”«»„])(?:
        (?=.{{0,60}}$)(?:please\s+)?(?:{_ASK})(?:\s+(?:today|now))?
      | (?=.{{0,500}}$)(?=.*\b(?:we|our|us)\b)(?=.*\b(?:you|your)\b)(?=.*\b(?:{_WHY})\b)(?=.*\b(?:{_FOR})\b).*
      | (?=.{{0,500}}$)(?=(?:.*?[.!?…]\s+)?(?:please\s+)?(?:{_ASK})\b)(?=.*\b(?:{_FOR})\b).*
      | (?=.{{0,300}}$)(?:.*?[.!?…]\s+)?(?:{_OTHER_LANGUAGES})\b.*
    )\s*[.!:]?$""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)

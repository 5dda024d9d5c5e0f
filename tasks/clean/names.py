"""Names in a byline string: the people who wrote the story, and nothing else.

A byline string carries more than names: "By", roles ("Staff Writer"),
degrees ("MA", "PhD"), outlets, places ("in Kyiv"), dates and handles, in
many languages. These functions read the names out of one string; finding
the byline in the page is ``tasks.clean.bylines``.
"""

from __future__ import annotations

import re
import unicodedata

from tasks.clean.parse import clean_text

# A capitalised word of a name, in the Latin, Greek and Cyrillic alphabets
# ("Łukasz", "Анна", "Σοφία"), and the particles a name may hold ("Lauren
# del Valle", "Ludwig van der Berg"): the words a byline line is made of.
_CAPITAL = "[" + "".join(sorted({c for c in map(chr, range(0x41, 0x530)) if c.isupper() and c.isalpha()})) + "]"
NAME_WORD = rf"{_CAPITAL}[\w'’.-]+"
NAME_PARTICLE = r"de|van|von|da|del|la|le|der|den|ter|ten|di|du|dos|das|do|bin|ibn|al|el"
NAME = rf"{NAME_WORD}(?:\s+(?:{NAME_WORD}|{NAME_PARTICLE}))+"

BY_PREFIX = re.compile(
    r"^\s*(?:(?:(?:story|words|text|written|reporting|report|posted|submitted|compiled|interview|analysis|opinion"
    r"|commentary|review|column|essay|perspective)\s+)?(?:by|von|par|por|di|door|av|af|oleh)\s*[:\-]?\s+"
    # "Ein Kommentar von", "Eine Analyse von": the German kind of piece, then "by"
    r"|eine?\s+(?:gast)?(?:kommentar|analyse|beitrag|essay|bericht|interview|kolumne|reportage|glosse)\s+von\s+"
    # "Escrito por", "Publié par", "Verfasst von", "Napisał": the same, in other languages.
    r"|(?:escrito\s+por|publicado\s+por|publié\s+par|écrit\s+par|verfasst\s+von|geschrieben\s+von|scritto\s+da"
    r"|a\s+cura\s+di|napisał[a]?|kirjoittanut|skrevet\s+af|skrivet\s+av)\s+"
    # "Text: Name", "Текст: Name": a label before the name, in several languages.
    r"|(?:text|texto|texte|testo|tekst|текст|автор|author|autor|autorin|autorka|auteur|written\s+by|redakcja"
    r"|yazar|szerző|forfatter|författare|skribent|toimittaja|penulis|wartawan|reporter|tác\s+giả)\s*[:：]\s*"
    # In scripts with no capitals: "بقلم:", "كتب", "מאת:", "लेखक:", "โดย", "记者 ", "本报记者", "文/", "作者︱".
    r"|(?:بقلم|الكاتب|الكاتبة|نویسنده|به\s+قلم|خبرنگار|מאת|लेखक|लेखिका|โดย|ผู้เขียน)\s*[:：]?\s+"
    r"|(?:كتب|كتبت|כתב|כתבה)\s*[:：]\s*"  # "wrote", and also "books", "script": only as a label
    # "记者张伟" after the paper's "本报"; else a separator, as "记者会" (a press conference) has none.
    r"|(?:本[报報台刊网網]|特约|特約)(?:记者|記者|通讯员|通訊員)\s*[:：/｜|︱]?\s*"
    r"|(?:记者|記者|通讯员|通訊員|作者|撰文|执笔|執筆|筆者|编译|編譯)\s*[\s:：/｜|︱]\s*"
    r"|文\s*[/:：｜|︱]\s*)",
    re.IGNORECASE,
)
# A name in a script with no capitals, where case cannot tell a name from a
# sentence: two to four Han characters (a space between family and given
# name, as Japanese prints it), two to four Hangul syllables, or up to four
# short words of the Arabic, Hebrew, Indic or Thai scripts (two at least: one alone is as often a word).
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々"
UNCASED_NAME = (rf"(?:[{_HAN}]{{1,4}}(?:[ ·・][{_HAN}]{{1,3}})?|[\uac00-\ud7af]{{2,4}}"
                rf"|[\u0590-\u08ff\u0900-\u0dff\u0e00-\u0eff]{{2,15}}(?:\s[\u0590-\u08ff\u0900-\u0dff\u0e00-\u0eff]{{2,15}}){{1,3}})")
# The writer's role after the name, as Korean, Japanese and Chinese print it: "홍길동 기자", "山田太郎記者", "张伟 报道",
# with an address or a wire's "=" after it.
# ("据新华社报道", "Xinhua reports", ends in 报道 too: that one only ends a name already found.)
UNCASED_ROLE = r"(?:선임|수석|객원|전문)?(?:기자|특파원|통신원)|記者|特派員|編集委員"
_UNCASED_ROLE_TAIL = re.compile(rf"(?<=[{_HAN}\uac00-\ud7af])\s*(?:{UNCASED_ROLE}|报道|報道)(?:\s*[=＝]|\s+\S+@\S+)?\s*$")
# "취재 기자", "사진 기자": the kind of journalist (covering, photo, video), not a name.
_KINDS_OF_JOURNALIST = {"취재", "담당", "사진", "영상", "편집", "인턴"}
# A wire's dateline before a Korean byline: "[서울=뉴시스]", "(서울=연합뉴스)".
WIRE_DATELINE = re.compile(r"^\s*[\[(（【][^\])）】=]{1,20}=[^\])）】]{1,20}[\])）】]\s*")
# Others a Chinese byline box names, each after a label: the source, the editor, the photographer.
_OTHER_LABEL = re.compile(r"(?:来源|來源|责任编辑|責任編輯|(?<!责任)编辑|(?<!責任)編輯|摄影|攝影|图|圖)\s*[:：/︱|｜]")
_LABELLED_PARTS = re.compile(rf"\s*(?=(?:{_OTHER_LABEL.pattern}|(?:作者|记者|記者|文)\s*[:：/︱|｜]))")
# The newsroom as a whole, in the languages we see: a role or a desk, never a writer.
_NEWSROOM = {"redacción", "redaccion", "redação", "redacção", "redacao", "rédaction", "redaction", "redaktion",
            "redazione", "redactie", "newsroom"}
# A comma-separated part of a byline that names a role, not a person.
ROLE_WORDS = re.compile(
    r"\b(?:writer|reporter|correspondent|editor|contributor|columnist|producer|journalist|staff"
    r"|bureau|chief|analyst|critic|associated\s+press|reuters|afp|for\s+the\b|special\s+to\b"
    r"|(?:officer|director|president|professor|manager|lecturer|fellow|founder|ceo|head\s+of|senior"
    r"|intern|photographer|designer|anchor|host|news|magazine|times|post|daily|media|press|international|agency"
    r"|network|wire|service)s?\b"
    r"|updated|published|posted|submitted|\d{4}|\d{1,2}:\d{2}"
    # the newsroom as a whole ("Ana Ruiz, da Redação")
    r"|" + "|".join(sorted(_NEWSROOM, key=lambda word: (-len(word), word))) + ")",
    re.IGNORECASE,
)
# "AP Auto Writer", "CNN Senior Producer": a wire's desk before the title, not a name.
_DESK = re.compile(r"^[A-Z]{2,4}\s+(?![A-Z]+\b)")
_ROLE_SUFFIX = re.compile(
    r"\s+(?:staff\s+writer|staff\s+reporter|correspondent|reporter|editor|contributor|columnist)\s*$",
    re.IGNORECASE,
)
# A writer's title after the name, in the same part: "LAURE BRETTON Envoyés spéciaux à Toulouse",
# "Andrea Stone Senior Washington Correspondent". It runs from its first word to the end.
ROLE_TAIL = re.compile(
    r"\s+(?:(?:senior|chief|special|staff|foreign|political|national|contributing|associate|deputy|managing"
    r"|executive)\s+\w|(?:writer|reporter|correspondent|editor|contributor|columnist|journalist|producer"
    r"|envoyée?s?|correspondante?s?|journaliste|rédact(?:eur|rice)|redakteur(?:in)?|korrespondent(?:in)?"
    r"|periodista|corresponsal|redactora?|giornalista|inviat[oa]|corrispondente|jornalista|repórter"
    r"|correspondente|dziennikar(?:z|ka)|korespondent(?:ka)?)\b"
    # a wire agency printed after the name with nothing between: "Tom Davies Associated Press"
    r"|(?:associated\s+press|press\s+association|agence\s+france[-\s]presse|reuters|bloomberg\s+news)$).*$",
    re.IGNORECASE,
)
# Academic and professional letters after a name: "Jane Doe, MA", "John Roe MD".
_DEGREE = re.compile(r"^(?:MA|MS|MSc|BA|BSc|MD|PhD|Ph\.D\.?|DO|RN|MPH|MBA|JD|LLM|DDS|DVM|PharmD|Esq\.?|CPA|FACP)\b")
_DEGREE_TAIL = re.compile(r"(?:,?\s+(?:MA|MS|MSc|BA|BSc|MD|PhD|Ph\.D\.?|RN|MPH|MBA|JD|DDS|DVM|PharmD|Esq\.?))+$")
# "Jane Doe January 18, 2017 11:00 PM @janedoe", "Jane Doe jane@news.example":
# the date, handle or e-mail address after a name.
DATE_TAIL = re.compile(
    r"\s+(?:(?:on|updated|published|posted)\s+)?(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
    r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b"
    r"|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}"
    r"|@\w+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+).*$", re.IGNORECASE)
# "Jane Doe in Kyiv": where the reporter filed from, not part of the name.
_PLACE_SUFFIX = re.compile(r"^(\S+\s+\S.*?)\s+in\s+[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+)?\s*$")
_OUTLET_TAIL = re.compile(r"(?:\s[-–—]\s\S+(?:\s\S+){0,3}|/[A-Z]{2,6}|\s+for\s+(?:the\s+)?[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,3})$")
# ", CNN", "and AP": an outlet's initials after the names.
_OUTLET = re.compile(r"(?:and\s+)?[A-Z]{2,6}")
# "Jeremy HerbLauren del Valle": two linked names printed with nothing between them.
_RUN_TOGETHER = re.compile(r"(?<=[a-zà-ÿ]{2})(?=[A-ZÀ-Þ][a-zà-ÿ]{2})")
_NAME_PARTICLE = re.compile(r"(?:Mc|Mac|De|Di|Da|Du|La|Le|Van|Von|O')$")
# "and" between two names, in the languages bylines are written in.
AND_WORDS = r"and|und|et|y|e|en|og|och|i|и|ja|és|ve|și|oraz"
_AND = re.compile(rf"\s+(?:{AND_WORDS}|&)\s+|\s*;\s*")


def clean_byline(names: list[str], site: set[str] = frozenset()) -> str | None:
    """'By Jane Doe, Staff Writer' and ['Jane Doe', 'John Roe'] → 'Jane Doe and John Roe'.
    ``site`` holds the words of the site's names and host (headline.site_words)."""
    cleaned: list[str] = []
    for value in names:
        for name in person_names(value):
            if name.casefold() not in {c.casefold() for c in cleaned}:
                cleaned.append(name)
    if len(cleaned) > 1:
        # "… and Tom Watkins and CNN", "Jill Disis, CNN Business", "Troy Smith, Cleveland.com"
        full_name = any(len(n.split()) > 1 and not _is_outlet(n, site, False) for n in cleaned)
        cleaned = [n for n in cleaned if not _is_outlet(n, site, full_name)] or cleaned
    if not cleaned:
        return None
    return cleaned[0] if len(cleaned) == 1 else ", ".join(cleaned[:-1]) + " and " + cleaned[-1]


def byline_names(byline: str) -> list[str]:
    """The names of a byline ``clean_byline`` wrote: 'Ana Ruiz, Bo Li and Cy Ng' → ['Ana Ruiz', 'Bo Li', 'Cy Ng']."""
    return [name for name in re.split(r", | and ", byline) if name.split()]


_SITE_FILLER = {"the", "com", "org", "net", "co", "uk", "news", "online", "digital", "de", "es", "fr", "it"}
# "CNN Business", "NBC Chicago": an outlet's acronym and a desk, beside names in normal case.
_ACRONYM_DESK = re.compile(r"[A-Z]{3,6}(?:\s+[A-Z][a-z]+)+")


# The words a publisher's company name adds to the site's ("Ediciones El País", "Harbour Media Group").
_COMPANY = {"ediciones", "editions", "edizioni", "edições", "editora", "editorial", "verlag", "verlagsgruppe",
            "media", "group", "grupo", "gruppe", "groupe", "gruppo", "publishing", "publications", "publisher",
            "inc", "ltd", "llc", "gmbh", "ag", "sa", "plc", "corp", "corporation", "company", "holdings",
            "desk", "staff", "team"} | _NEWSROOM


def is_publisher(value: str, site: set[str]) -> bool:
    """An author field holding the publisher's company: the site's own words
    and a company word ("Ediciones El País"). The site's name alone is left to
    the caller, which knows whether the site signs its own posts."""
    words = set(re.findall(r"\w+", value.casefold()))
    return bool(words & site) and bool(words & _COMPANY) and words <= site | _SITE_FILLER | _COMPANY


# Words of a publication's name, not of a person's ("Harbour Times", "USA Today", "Daily Mail").
_OUTLET_WORDS = {"times", "news", "post", "today", "daily", "herald", "journal", "tribune", "gazette", "magazine",
                 "review", "observer", "chronicle", "express", "mail", "star", "sun", "telegraph", "guardian",
                 "independent", "mirror", "standard", "record", "press", "weekly", "world", "report", "wire",
                 "radio", "tv", "network", "online", "insider", "register", "courier", "monitor", "sentinel",
                 "examiner", "inquirer", "dispatch", "globe", "digest", "blog", "zeitung", "diario", "jornal",
                 "gazzetta", "corriere", "gazeta", "nieuws", "nachrichten", "noticias", "notizie", "nouvelles"}


def is_personal_name(value: str) -> bool:
    """'Haki Benita', 'Jan van Dijk': two to four words written as a person's
    name, none of them a publication's word, initials or shouting."""
    words = value.split()
    folded = {w.casefold() for w in words}
    return 2 <= len(words) <= 4 and not value.isupper() and not folded & (_SITE_FILLER | _OUTLET_WORDS | _COMPANY) \
        and all(w[0].isupper() and w[1:].islower() or w.casefold() in _PARTICLES for w in words if w.isalpha())


_PARTICLES = {"de", "van", "von", "da", "del", "der", "la", "le", "di", "du", "bin", "ibn", "al", "el", "dos", "das"}


def _is_outlet(name: str, site: set[str], beside_full_name: bool) -> bool:
    """A name in an author list that is the outlet, not a person: initials,
    the site's own words, an acronym and a desk, or, beside a person's full
    name, a single word ("Victor Tangermann, Futurism")."""
    words = re.findall(r"\w+", name.casefold())
    # "USA TODAY" on usatoday.com: the host name's words, written apart.
    return bool(_OUTLET.fullmatch(name) or _ACRONYM_DESK.fullmatch(name)
                or (site and words and (set(words) <= site | _SITE_FILLER or "".join(words) in site))
                or (beside_full_name and len(name.split()) == 1))


def person_names(value: str) -> list[str]:
    """The people in one byline string, without "By", roles, degrees, dates or outlets."""
    text = re.sub(r"^@\w+\s+(?=\S)", "", clean_text(value))  # "@anaruiz Ana Ruiz": her handle, then her name
    if re.match(r"https?://|www\.|@\w|\S+@\S+\.\w+$", text):
        return []  # an author page, a handle or an address, not a name
    text = re.split(r"\s[|•·]\s|\s[-–—]\s(?=updated|published|posted|publi|veröff|aktualis|actualiz|atualiz|aggiorn"
                    r"|mis\s+à\s+jour|\w{3}\.? \d)", text, maxsplit=1, flags=re.IGNORECASE)[0]
    # "Jane Doe - Reuters", "Jane Doe/AP", "Jane Doe for The Guardian": the outlet after the name.
    without_outlet = _OUTLET_TAIL.sub("", text)
    if len(without_outlet.split()) >= 2:  # "Organization for Transformative Works" is one name
        text = without_outlet
    text = _HANDLE.sub("", text)  # "Bradley Kuhn (http://ebb.org/bkuhn/)", "Name (stevenhgm)"
    text = _CONTRIBUTION.sub("", CO_AUTHORS.sub(r", \1", text))  # "(with additional reporting by …)": not an author
    text = writer_part(text)
    # "来源：新华社 作者：张伟": the source and the editor are named beside the writer.
    if _OTHER_LABEL.search(text):
        text = next((p for p in _LABELLED_PARTS.split(text) if p.strip() and not _OTHER_LABEL.match(p.strip())), "")
    text = _UNCASED_ROLE_TAIL.sub("", WIRE_DATELINE.sub("", text))
    text = DATE_TAIL.sub("", BY_PREFIX.sub("", text))
    # "Finian Cunningham. Sputnik International": a sentence stop ends the name like a comma.
    parts = [p.strip(" ,;|-–—") for p in re.split(r"[,，、]|(?<=[\uac00-\ud7af])·(?=[\uac00-\ud7af])"
                                                  r"|(?<=[a-zà-ÿ]{2})\.\s+(?=[A-ZÀ-Þ])", text)]
    # "Deal Professor, By Jane Doe": a column's name on the line above "By"; the names follow it.
    by_part = next((i for i, p in enumerate(parts) if i and _BY_LINE.match(p)), None)
    if by_part is not None:
        parts = parts[by_part:]
    names = []
    for index, part in enumerate(parts):
        part = re.sub(r"^(?:and|&|und|et|y|e)\s+", "", BY_PREFIX.sub("", part))  # "A, B, and C"
        untitled = ROLE_TAIL.sub("", part)
        if untitled != part and len(untitled.split()) >= 2 and not _DESK.match(untitled):
            part = untitled
        elif index == 0:
            part = _ROLE_SUFFIX.sub("", part)  # "eHow Contributor" alone: no name
        if index and _DEGREE.match(part):
            # "Brenda Goodman, MA WebMD Health News": the letters and what follows are not people.
            words = part.split()
            part = " ".join(words[1:]) if len(words) > 1 and not ROLE_WORDS.search(part) else ""
        if not part or (index and (ROLE_WORDS.search(part) or _OUTLET.fullmatch(part)
                                   or ROLE_TAIL.match(" " + part) or _FROM_PLACE.match(part))):
            continue  # ", Staff Writer", ", Senior Correspondent in Rome", ", CNN", ", envoyé spécial à Lyon", ", do Rio"
        names.extend(n for n in _AND.split(part) if n)
    # "Posted by Alon Zakai.": the sentence's stop, not an initial's ("Jr.", "Jared T.").
    return [_name_case(re.sub(r"(?<=[a-zà-ÿ]{3})\.$", "", _PLACE_SUFFIX.sub(r"\1", _DEGREE_TAIL.sub("", n.strip()))))
            for name in names for n in _split_run_together(name) if _is_name(n)]


def _split_run_together(name: str) -> list[str]:
    pieces, start = [], 0
    for match in _RUN_TOGETHER.finditer(name):
        if not _NAME_PARTICLE.search(name[start:match.start()].split(" ")[-1]):
            pieces.append(name[start:match.start()])
            start = match.start()
    pieces.append(name[start:])
    pieces = [p.strip() for p in pieces if p.strip()]
    # Only full names run together ("Jeremy HerbLauren del Valle"); "LinkNaija" is one name.
    return pieces if all(len(p.split()) >= 2 for p in pieces) else [name]


def _is_name(text: str) -> bool:
    """A person's name is a few words, not a sentence, a date, a date's label
    ("Last Updated:") or a degree alone."""
    text = text.strip()
    return bool(text) and len(text.split()) <= 6 and not _DEGREE.fullmatch(text) and \
        not re.search(r"\d", text) and len(text) <= 60 and not text.endswith((":", "：")) and \
        not _DATE_LABEL.search(text) and text.casefold() not in _ACTIONS and text.casefold() not in _NO_ONE \
        and text not in _KINDS_OF_JOURNALIST and not _SENTENCE_WORDS.intersection(text.split())


# "Ana Ruiz is our transport correspondent": a bio's sentence beside the name, never a name.
_SENTENCE_WORDS = {"is", "was", "are", "were", "has", "have", "had", "our", "his", "her", "their", "who", "writes",
                   "covers", "reports", "lives", "joined"}


# An author field that names no one: a CMS's default user, or the newsroom as a whole.
_NO_ONE = {"admin", "administrator", "webmaster", "root", "user", "guest", "super user", "editor", "editors",
           "staff", "web desk", "news desk", "online desk", "digital desk"} | _NEWSROOM
# The buttons a byline box holds besides the names ("Print", "Email", "Follow").
_ACTIONS = {"print", "email", "e-mail", "mail", "share", "follow", "subscribe", "comment", "comments", "tweet",
            "save", "more", "bio", "contact", "view profile", "profile", "read more", "see more", "unfollow"}


_DATE_LABEL = re.compile(r"\b(?:updated|published|posted|submitted|modified|aktualisiert|mis\s+à\s+jour|actualizado)\b",
                         re.IGNORECASE)


def _name_case(name: str) -> str:
    # Wire-style bylines shout ("By JANE DOE"); names are written in title case.
    return name.title() if name.isupper() and len(name) > 3 else name


_BY_LINE = re.compile(r"^\s*(?:by|par|von|por|door|di)\s*:?\s+\S", re.IGNORECASE)

def is_role_line(text: str) -> bool:
    """'CNBC Executive News Editor', 'Staff Writer': an author's title printed
    on its own line under the byline. Short, no sentence, and a role word."""
    words = text.split()
    return 0 < len(words) <= 6 and len(text) <= 60 and not re.search(r"[.!?:;]$|\d", text) \
        and bool(ROLE_WORDS.search(text)) and all(w[0].isupper() or w.islower() and len(w) <= 3 for w in words)


# The longer phrase first: "con" alone would take "la colaboración de X" as a name.
CO_AUTHORS = re.compile(r"\((?:con\s+la\s+colaboración\s+de|with|and|avec|et|con|y|com|e|mit|und|met|en)\s+"
                        r"(?![^()]*\b(?:reporting|writing|editing|research)\b)([^()]{3,120})\)", re.IGNORECASE)
def writer_part(text: str) -> str:
    """The part of a byline that names the writers: not the photographer or
    editor after them ("Written by A Edited by B", "Text: A, Fotos: B"), nor
    the place in brackets ("Par Ana Ruiz (à Lyon)")."""
    return _PLACE_IN_BRACKETS.sub("", _OTHER_ROLES.split(text, maxsplit=1)[0])


# "(à Lyon)", "(in Kyiv)", "(aus Berlin)": where the story was filed from.
_PLACE_IN_BRACKETS = re.compile(r"(?<!\s)\s*\((?:à|au|aux|en|in|a|em|aus|from|desde|da|de|dal|dalla)\s+[^()]{1,40}\)")
# ", do Rio", ", from Kyiv", ", aus Berlin": the same after a comma.
_FROM_PLACE = re.compile(r"(?:do|da|dos|das|de|desde|from|in|em|en|aus|à|au|dal|dalla)\s+(?-i:[A-ZÀ-Þ])")
_OTHER_ROLES = re.compile(r"(?<![\s,;|.])[\s,;|.]+(?:(?:fotos?|photos?|bilder?|fotograf[íi]as?|fotografie|illustrations?|ilustraci[óo]n"
                          r"|grafik|infograf[íi]a|v[íi]deo|edici[óo]n|edição|montage|mise\s+en\s+page)\s*[:：]"
                          r"|(?:pictures|photos?|photographs|illustrations?|graphics|video|translated|fact-checked)\s+by\b)"
                          # "Edited by" is parted by a comma or a space, not by a full stop ("… Jr. Edited by")
                          r"|(?<![\s,;|])[\s,;|]+edited\s+by\b", re.IGNORECASE)
_HANDLE = re.compile(r"\s*\((?:[^()]*(?:https?://|www\.|@)[^()]*|[a-z0-9_.]+)\)")
_CONTRIBUTION = re.compile(r"\s*\([^()]*\b(?:reporting|writing|editing|research)\b[^()]*\)", re.IGNORECASE)


def folded(text: str) -> str:
    """Without accents, casefolded: "Łukasz Żak" and the address's "lukasz-zak" compare alike."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()

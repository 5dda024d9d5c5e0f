"""Tags: the subjects a story is filed under.

They come from JSON-LD ``keywords``, ``article:tag``, ``keywords`` /
``news_keywords`` meta tags, ``rel=tag`` links (often in the article's own
``<footer>``) and plain links under a "Topics" or "More on" label. Meta
keywords carry junk that is not a subject: CMS labels ("NLP Entity Tokens:
…"), IDs, the tag list again as one comma-joined value, or a sentence cut
into single words.
"""

from __future__ import annotations

import re
from itertools import islice

from lxml import html

from tasks.clean.boilerplate import STRONG, boilerplate_strength
from tasks.clean.explain import Candidate, choose, overrule
from tasks.clean.labels import TAG_WORDS, TOPIC_WORDS
from tasks.clean.names import byline_names
from tasks.clean.parse import clean_text, element_text, has_rel, tokens

# Site-wide link lists that use rel=tag without being the story's tags.
_NOT_TAGS = re.compile(r"trending|popular|hot-topics|most-|tagcloud|tag-cloud")
_UUID = re.compile(r"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$", re.IGNORECASE)
_ID_LIKE = re.compile(r"^(?:[0-9a-f]{16,}|\d{5,}|[\w-]*\d{6,}[\w-]*)$", re.IGNORECASE)
# "NLP Entity Tokens: …", "Section: News", "type:article": a CMS field, not a subject.
_LABELLED = re.compile(r"^[\w .-]{2,40}\s*[:=]\s*\S")
# The words of a label over the story's tags themselves ...
_TAG_WORDS = rf"tags?|tagged(?:\s+with)?|keywords|{TAG_WORDS}"
# ... and of one over its topics or the sections it is filed in.
_TOPIC_WORDS = rf"topics?|more\s+on|related\s+topics|filed\s+under|posted\s+in|subjects?|categor(?:y|ies)|{TOPIC_WORDS}"
_TOPIC_LABEL = re.compile(rf"^\s*(?:{_TAG_WORDS}|{_TOPIC_WORDS})\s*[:：]?\s*$", re.IGNORECASE)
# Labels that name the story's tags themselves, not its topics or sections.
_TAGS_LABEL = re.compile(rf"^\s*(?:{_TAG_WORDS})\s*[:：]?\s*$", re.IGNORECASE)
# Labels of the sections a story is filed in (WordPress "Filed under",
# "Posted in"): the story's tags, when it has a list of them, come as well.
_CATEGORY_LABEL = re.compile(r"filed|posted|categor|archivado", re.IGNORECASE)
_STOPWORDS = {"a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "is", "are", "was", "with", "at",
              "by", "from", "as", "it", "its", "be", "has", "have", "that", "this", "he", "she", "they", "says"}


def keywords(value: object) -> list[str]:
    """Tags from a JSON-LD or meta keywords value (a comma-separated string, a list, or named things)."""
    if isinstance(value, str):
        return [clean_text(v) for v in re.split(r"[,;]", value) if clean_text(v)]
    if isinstance(value, list):
        return [k for item in value for k in keywords(item)]
    if isinstance(value, dict):
        return keywords(value.get("name"))
    return []


# "megaphone_top", "@hp-top-stories", "/article", "@post-id:1913": a CMS's code, not a subject.
_CODE = re.compile(r"^(?:[@/_]\S*|\S*_\S*|\S+:\S+)$")
# What a CMS files a story under when nobody filed it, and buttons read as links.
_PLACEHOLDERS = {"uncategorized", "uncategorised", "sin categoría", "sin categoria", "non classé", "senza categoria",
                 "sem categoria", "allgemein", "standard", "default", "front page", "show more", "see more", "more",
                 "no autolink", "none", "null", "undefined"}
# "Mark Esper GOVERNMENT_FIGURE PERSON": entity types an NLP tagger appended.
_ENTITY_TYPE = r"(?:[A-Z]+(?:_[A-Z]+)+|PERSON|POLITICIAN|ORGANI[SZ]ATION|LOCATION|COMPANY|CELEBRITY|GPE|NORP)"
_ENTITY_TYPES = re.compile(rf"^(?:{_ENTITY_TYPE}(?:\s+|$))+|(?:\s+{_ENTITY_TYPE})+$")


def is_junk(tag: str) -> bool:
    """A keyword that is a CMS field or code, an ID, a placeholder, a cut
    fragment ("PG&"), or not a word at all."""
    return (not tag or len(tag) > 80 or bool(_UUID.match(tag)) or bool(_ID_LIKE.match(tag))
            or bool(_LABELLED.match(tag)) or not re.search(r"[^\W\d_]", tag) or bool(_CODE.match(tag))
            or tag.casefold() in _PLACEHOLDERS or len(tag) == 1 or tag.endswith("&"))


def as_tag(text: str) -> str:
    """A tag as an editor would write it: no hashtag sign, no entity types."""
    text = clean_text(text).lstrip("#")
    typed = _ENTITY_TYPES.sub("", text).strip()
    if typed != text and typed.isupper():
        return ""  # "COACH SPORTS_FIGURE PERSON": nothing but the tagger's labels
    return typed


def _sentence_split(tags: list[str], texts: list[str]) -> bool:
    """['trump', 'says', 'he', 'will'] cut from the headline: single words in
    the order of a sentence the page also shows, or mostly function words."""
    single = [t for t in tags if " " not in t]
    if len(single) < 4 or len(single) < 0.8 * len(tags):
        return False
    if sum(t.casefold() in _STOPWORDS for t in single) >= 2:
        return True
    joined = " ".join(t.casefold() for t in single[:4])
    return any(joined in " ".join(re.findall(r"\w+", text.casefold())) for text in texts if text)


_DOMAIN = re.compile(r"(?:www\.)?[\w-]+\.(?:com|net|org|co\.uk|com\.au|co\.in|de|fr|es|it|nl|io|news|info)")


def _site_wide(tags: list[str], texts: list[str]) -> bool:
    """A long list of mostly single words hardly any of which the story's own
    title or summary uses, or one that names the site's domain: the site's
    search-engine keywords ("news, update, breaking, world, ..."), not the
    subjects of this story."""
    story_words = {w for text in texts for w in re.findall(r"\w+", text.casefold())}
    domains = [t.casefold() for t in tags if _DOMAIN.fullmatch(t.casefold())]
    if len(tags) >= 5 and domains:
        # "Breaking News, Deadline, Deadline.com, …": a list that names the site's own
        # domain, hardly any of it in the story's title or summary (the site's name
        # aside, which titles carry), is the site's.
        site = {w for d in domains for w in re.findall(r"\w+", d)}
        words = story_words - site
        return sum(bool(set(re.findall(r"\w+", t.casefold())) & words) for t in tags) < 0.2 * len(tags)
    single = [t for t in tags if " " not in t]
    if len(tags) < 6 or len(single) < 0.6 * len(tags):
        return False
    if sum(t.casefold() in story_words for t in single) >= 0.2 * len(single):
        return False
    return len(tags) >= 8 or sum(t.islower() for t in single) >= 0.8 * len(single)


def _bag_of_words(tags: list[str]) -> bool:
    """A dozen lowercase single words ("lista, espera, agravar, ..."): words
    a program picked from the text, not subjects an editor filed it under."""
    return len(tags) >= 10 and sum(" " not in t and t.islower() for t in tags) >= 0.9 * len(tags)


# Keywords a site gives every page: its own name, and words for news itself.
_SITE_KEYWORDS = {"news", "breaking news", "latest news", "top news", "headlines", "top stories", "home", "homepage"}


def _is_site_name(tag: str, site: set[str]) -> bool:
    """The tag is the site's name or its host's ("Harbour Times", "harbourtimes"
    on harbourtimes.example); ``site`` holds both, casefolded."""
    folded = tag.casefold()
    joined = "".join(re.findall(r"\w+", folded))
    return folded in site or joined in site or joined.removeprefix("the") in site


def judge_meta_keywords(tags: list[str], texts: list[str],
                        site: set[str] = frozenset()) -> tuple[list[str], list[tuple[str, str]]]:
    """A keywords meta tag's entries: those kept, and those left out with why."""
    kept = [t for t in tags if not is_junk(t)]
    # Judged whole first: the site's own name in the list is a sign it is the site's.
    whole = ("a sentence cut into words" if _sentence_split(kept, texts) else
             "the site's list for every page" if _site_wide(kept, texts) else
             "a bag of words" if _bag_of_words(kept) else None)
    kept = [] if whole else [t for t in kept if not _is_site_name(t, site)]
    left_out = [(t, "junk" if is_junk(t) else whole or "the site's name") for t in tags if t not in kept]
    return kept, left_out


def _is_story_tag_link(link: html.HtmlElement) -> bool:
    """rel=tag links of the story, not of "trending" bars or navigation. The
    article's own <footer> (inside its <article>) is where HTML5 and WordPress
    themes put them; the page's footer is not."""
    for ancestor in link.iterancestors():
        if ancestor.tag == "article":
            return True
        if ancestor.tag == "footer" and _inside_article(ancestor):
            continue
        if ancestor.tag in ("nav", "header", "footer", "aside") or boilerplate_strength(ancestor) == STRONG \
                or _NOT_TAGS.search(tokens(ancestor)):
            return False
    return True


_TAG_PATH = re.compile(r"/(?:tags?|topics?|keywords?|hashtags?|schlagw[oö]rter|schlagworte?|stichw[oö]rter|stichworte?"
                       r"|themen?|thema|sujets?|mots?-cl[eé]s|temas?|tematicas?|etiquetas?|argomenti|onderwerp(?:en)?"
                       r"|trefwoord(?:en)?|tagi|etiket(?:ler)?)/[^/?#]+/?(?:[?#]|$)"
                       r"|[?&](?:tags?|topics?|keywords?)=[^&#]+", re.IGNORECASE)


def tag_url_links(root: html.HtmlElement) -> list[str]:
    """Two or more links in one block that all lead to tag or topic pages
    (/tag/…, /topics/…): the story's tag list, though nothing marks it so."""
    # Menus above the headline link to topics too; the story's own list follows it.
    after_headline = root.xpath("(//h1)[1]/following::a[@href]") if root.find(".//h1") is not None else \
        root.xpath("//a[@href]")
    groups: dict[int, tuple[html.HtmlElement, list[html.HtmlElement]]] = {}
    for link in after_headline:
        if not _TAG_PATH.search(link.get("href")):
            continue
        block = next((a for a in link.iterancestors() if a.tag in _BLOCKS), None)
        if block is not None:
            groups.setdefault(id(block), (block, []))[1].append(link)
    lists = []
    for block, links in groups.values():
        if len(links) < 2 or len(links) > 30 or len(links) < 0.6 * sum(1 for _ in block.iter("a")):
            continue
        if any(a.tag in ("nav", "header") or (a.tag == "footer" and not _inside_article(a)) or
               _NOT_TAGS.search(tokens(a)) or boilerplate_strength(a) == STRONG for a in block.iterancestors()):
            continue
        if _in_teaser_card(block):
            continue
        lists.append(links)
    # Links to tag pages over links to topic pages: a blog files a story under
    # its topics ("Home Entertainment") and tags it with its subjects.
    tagged = [links for links in lists if all(_TAG_PAGE.search(link.get("href")) for link in links)]
    chosen = (tagged or lists or [[]])[0]
    return [element_text(a) for a in chosen if 0 < len(element_text(a)) <= 50]


_TAG_PAGE = re.compile(r"/(?:tags?|keywords?|hashtags?|schlagw[oö]rter|schlagworte?|stichw[oö]rter|stichworte?"
                       r"|mots?-cl[eé]s|etiquetas?|trefwoord(?:en)?|tagi|etiket(?:ler)?)/|[?&](?:tags?|keywords?)=",
                       re.IGNORECASE)


_BLOCKS = {"ul", "ol", "div", "p", "section", "footer", "dd"}


# "Tags: Ferries, Harbour, Council" printed as text, without links.
_TAG_LINE = re.compile(rf"^\s*(?:{_TAG_WORDS})\s*[:：]\s*([^.!?:]{{2,200}})$", re.IGNORECASE)


def tag_line(root: html.HtmlElement) -> list[str]:
    """The tags of a labelled line of plain text in the story ("Tags: A, B,
    C"): two to twelve short items, outside the site's menus."""
    for line in root.iter("p", "div", "span", "li", "dd"):
        if len(line) or not line.text or len(line.text) > 220:
            continue
        found = _TAG_LINE.match(" ".join(line.text.split()))
        items = [t.strip() for t in re.split(r"[,;|]", found.group(1))] if found else []
        if 2 <= len(items) <= 12 and all(0 < len(t) <= 40 for t in items) and _the_storys(line):
            return items
    return []


def _the_storys(label: html.HtmlElement) -> bool:
    """Not in the site's own menus (its footer's "Topics" lists every
    section), nor on another story's card in a list of stories."""
    return not any(a.tag in ("nav", "header") or (a.tag == "footer" and not _inside_article(a))
                   or _NOT_TAGS.search(tokens(a)) for a in label.iterancestors()) and not _in_teaser_card(label)


def _inside_article(element: html.HtmlElement) -> bool:
    return any(a.tag == "article" for a in element.iterancestors())


def topic_links(root: html.HtmlElement) -> tuple[list[str], bool]:
    """Links listed under a "Topics" / "More on" / "Tags" label: the label's
    own block, or the block right after it; and whether the label names
    sections ("Filed under") rather than tags."""
    # The first labelled list, unless a later one says it holds the tags:
    # "Topics: Televisions, Internet" then "Tags: Verizon Fios TV, iPad".
    first: tuple[list[str], bool] | None = None
    first_label = None
    for label in root.iter("h2", "h3", "h4", "h5", "h6", "strong", "b", "span", "p", "div", "dt", "li"):
        if len(label) > 2:
            continue
        # The label's own words (its text, or its first child's): cheap, since most elements are not labels.
        text = label.text or (label[0].text if len(label) and not (label.text or "").strip() else "") or ""
        words = " ".join(text.split())
        if len(text) > 60 or not _TOPIC_LABEL.match(words or "x"):
            continue
        if len(label) and not (label.text or "").strip() and label[0].tag == "a":
            continue  # a link named "Topics" is a menu entry, not a label
        if not _the_storys(label):
            continue
        # A wrapper whose first child is the label: what that child introduces
        # comes first ("<div><h5>Filed under:</h5> <a>TV</a></div>", then the tags).
        links = []
        for heading in ([label[0], label] if not (label.text or "").strip() else [label]):
            links = [element_text(a) for holder in _listed_after(heading) for a in holder.iter("a")
                     if 0 < len(element_text(a)) <= 50]
            if links:
                break
        if 0 < len(links) <= 20:
            if first is None:
                first, first_label = (links, bool(_CATEGORY_LABEL.search(text))), label
                if _TAGS_LABEL.match(words):
                    break
            elif _TAGS_LABEL.match(words) and _near(label, first_label):
                return links, False
    return first or ([], False)


def _near(label: html.HtmlElement, other: html.HtmlElement) -> bool:
    """Two labels in one block of the story (a few wrappers up, short of the
    story's own box), not a sidebar's "Tags" far from the story's "Topics"."""
    def block(element: html.HtmlElement) -> set[html.HtmlElement]:
        return {a for a in islice(element.iterancestors(), 3) if a.tag not in ("article", "main", "body", "html")}
    return not block(label).isdisjoint(block(other))


def _in_teaser_card(label: html.HtmlElement) -> bool:
    """A label on a card that another story's linked headline heads: a small
    block (a headline, a line or two, the tags) in a list of stories."""
    node = label
    for _ in range(3):
        node = node.getparent()
        if node is None or node.tag in ("article", "main", "body") or len(element_text(node)) > 600:
            return False
        for heading in node.iter("h2", "h3", "h4"):
            links = heading.findall(".//a")
            if links and element_text(heading) == " ".join(element_text(a) for a in links):
                return True
    return False


def _listed_after(label: html.HtmlElement) -> list[html.HtmlElement]:
    """What a label introduces: the siblings after it (a heading inside its
    list, a label before a run of links), up to the next label; else its
    parent's block."""
    following = []
    for sibling in label.itersiblings():
        if not isinstance(sibling.tag, str) or sibling.tag in _HEADINGS:
            break
        if boilerplate_strength(sibling) == STRONG:
            break  # the share buttons after the list, and the page's actions after them
        following.append(sibling)
    if any(s.xpath("self::a or .//a") for s in following):
        return following
    return [label.getparent()]


_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6", "dt"}


# Definition. The tags are the subjects the publisher filed the story under,
# each once, in the order the page gives them. Sources: the JSON-LD article's
# keywords, article:tag meta tags, rel=tag links in the story (its own <footer>
# included), the keywords/news_keywords meta tags, and, when the page has no
# rel=tag links, links under a "Topics"/"More on" label, or else a block of
# links to tag pages (both, when the label names sections). Meta keywords are
# kept only without their junk (CMS labels, IDs, a sentence cut into words); a
# value that joins other tags with commas is those tags, not one more.
def pick_tags(root: html.HtmlElement, ld_script: html.HtmlElement | None, ld_keywords: list[str],
              texts: list[str], site: set[str] = frozenset()) -> tuple[list[str], frozenset[str]]:
    """The tags, and (casefolded) those that only the keywords meta tags gave.
    ``site`` is the site's names and host labels, casefolded: keywords naming
    the site are no subject of the story."""
    found: list[tuple[str, str]] = []  # (tag, source), in page order
    rejected: list[Candidate] = []
    for element in root.iter("meta", "script", "a"):
        if element.tag == "meta":
            key = (element.get("property") or element.get("name") or "").lower()
            if key == "article:tag":
                found.extend((t, "meta article:tag") for t in keywords(element.get("content") or ""))
            elif key in _KEYWORDS_KEYS:
                values = keywords(element.get("content") or "")
                kept, left_out = judge_meta_keywords(values, texts, site)
                found.extend((t, f"meta {key}") for t in kept)
                rejected.extend(Candidate(t, f"meta {key} ({why})") for t, why in left_out)
        elif element.tag == "script":
            if element is ld_script:
                for t in ld_keywords:
                    if _is_site_name(t, site):
                        rejected.append(Candidate(t, "json-ld keywords (the site's name)"))
                    else:
                        found.append((t, "json-ld keywords"))
        elif has_rel(element, "tag") and _is_story_tag_link(element):
            found.append((element_text(element), "markup rel=tag"))
    if not any(source == "markup rel=tag" for _, source in found):
        labelled, sections = topic_links(root)
        listed = tag_url_links(root) if sections or not labelled else []
        found.extend((t, "markup topic links") for t in labelled)
        found.extend((t, "markup tag-page links") for t in listed)
        if not labelled and not listed:
            found.extend((t, "markup tag line") for t in tag_line(root))
    tags, used, seen = [], [], set()
    sources: dict[str, set[str]] = {}
    titles = [t.casefold() for t in texts[:2] if t and len(t) >= 20]
    for raw, source in found:
        tag = as_tag(raw)
        sources.setdefault(tag.casefold(), set()).add(source)
        if any(tag.casefold().startswith(title) for title in titles):
            rejected.append(Candidate(raw, f"{source} (the headline)"))
            continue
        if tag.casefold() in _SITE_KEYWORDS:  # a "News" or "Latest News" link files every story
            rejected.append(Candidate(raw, f"{source} (a word for news)"))
            continue
        if tag and not is_junk(tag) and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
            if source not in used:
                used.append(source)
        elif tag and is_junk(tag):
            rejected.append(Candidate(tag, f"{source} (junk)"))
    winner = Candidate(tags, " + ".join(used)) if tags else None
    keywords_only = frozenset(tag for tag, given_by in sources.items()
                              if all(source in _KEYWORDS_META for source in given_by))
    return choose("tags", winner, rejected) or [], keywords_only


# The keywords meta tags. (Parse.ly's and Sailthru's tags fields hold internal codes as often as
# subjects, "bbnews", "othernutrition", a site's regional editions: they are not read.)
_KEYWORDS_KEYS = ("keywords", "news_keywords")
_KEYWORDS_META = tuple(f"meta {key}" for key in _KEYWORDS_KEYS)


def without_writers(tags: list[str], keywords_only: frozenset[str], byline: str | None) -> tuple[str, ...]:
    """The tags less the story's own writers where only the keywords meta
    tags name them: a CMS that adds every story's author there ("Marguerite
    Reardon, wireless, broadband") says who wrote it, not what it is about.
    A tag an editor gave (a show's host, a columnist's own column) stays.
    Known only once the byline is picked."""
    writers = {name.casefold() for name in byline_names(byline)} if byline else set()
    kept = tuple(tag for tag in tags if tag.casefold() not in writers or tag.casefold() not in keywords_only)
    if len(kept) < len(tags):
        overrule("tags", list(kept), [Candidate(tag, "tags (the story's writer)") for tag in tags if tag not in kept])
    return kept

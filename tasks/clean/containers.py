"""Which elements of a page hold the story body.

Every signal votes, and they are checked against each other:

* markup hints: ``itemprop=articleBody``, common CMS body classes, ``<article>``;
* a content score (readability's idea): each prose paragraph scores its
  parent and grandparent, so the element whose children carry the most
  prose wins; paragraphs inside boilerplate blocks do not vote; list items
  that are sentences vote at half weight for the block holding their list;
* the JSON-LD ``articleBody``, when the page has one, as a reference text:
  among the candidate bodies the one that agrees with it best is taken.

A hint is only trusted when it holds most of the prose the score found, so
a stray ``article-body`` class on a teaser cannot win. Pages split into
several body containers keep all of them, in page order. Where the best
scored prose is short, the page's ``<main>`` holding it is the body: its
prose is spread over several short sections.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import islice

from lxml import html

from tasks.clean.boilerplate import STRONG, boilerplate_strength
from tasks.clean.inserts import is_promo_box
from tasks.clean.parse import clean_text, text_within, tokens
from tasks.clean.textmatch import agreement, shingles

_BODY_CLASSES = re.compile(
    r"(?:^|[\s_-])(?:article[-_]?body|articlebody|story[-_]?body|entry[-_]?content|post[-_]?content"
    r"|article[-_]?content|story[-_]?content|body[-_]?text|article[-_]?text|content[-_]?body"
    r"|main[-_]?text|rich[-_]?text|field[-_]?name[-_]?body|node[-_]?body|story[-_]?text"
    # BEM: "news-detail__content", "article-page__body"; never a list of teasers ("news-list__content").
    r"|(?:article|story|news|post|entry)(?:[-_](?!list|feed|related|teaser|card|grid|item)[a-z]+)?__(?:body|content|text)"
    r"|c-article-body|paywall-content|text[-_]?body|post[-_]?body|entry[-_]?body"
    r"|post[-_]?entry|single[-_]?content|article[-_]?main|story[-_]?main|news[-_]?text"
    r"|td-post-content|blog[-_]?post[-_]?body|theme-post-content)(?:$|[\s_-])"
)
_CHROME = frozenset({"nav", "footer", "aside", "menu"})
_SENTENCE = re.compile(r"\w[.!?…。！？](?:\s|$)")
_MIN_PARAGRAPH = 25  # characters; shorter lines are labels, not prose
_SHORT_PROSE = 1500  # characters of best-scored prose below which a body mark outranks the score


class Scores:
    """Prose per element: ``own`` (readability's parent score) and ``mass``
    (all prose below the element)."""

    def __init__(self, root: html.HtmlElement) -> None:
        self.own: Counter = Counter()
        self.mass: Counter = Counter()
        strength: dict = {}
        promo: dict = {}
        far: dict = {}
        for para in root.iter("p", "pre", "td", "div", "section", "li"):
            text, links = _direct_prose(para)
            if len(text) < _MIN_PARAGRAPH:
                continue
            link_share = links / len(text)
            if link_share > 0.5:
                continue
            if para.tag == "li" and not _SENTENCE.search(text):
                continue  # headlines and menu entries: a ticker or a teaser list, not a story's bullets
            ancestors = list(islice(para.iterancestors(), 2))
            weight = 0.0 if _strength(para, strength) == STRONG else _vote_weight(ancestors, strength, far)
            if not weight or any(_is_promo(a, promo) for a in ancestors):
                continue
            score = weight * (1 + text.count(",") + min(len(text) / 100, 3)) * (1 - link_share)
            if para.tag == "li":
                score /= 2  # bullets count for less than paragraphs: lists of teasers have sentences too
            # A div or cell with text of its own counts as a paragraph of its
            # parent, unless <br>s split it into several: then it is the body.
            parent = para.getparent() if para.tag in ("p", "pre") or len(text) < 400 or \
                para.find(".//br") is None else para
            if para.tag == "li" and parent is not None:
                parent = parent.getparent()  # a story told in bullets scores the block holding its list
            if parent is None:
                continue
            self.own[parent] += score
            grand = parent.getparent()
            if grand is not None:
                self.own[grand] += score / 2
            if para.tag == "li":
                continue  # "mass" is paragraph prose: teaser lists with blurbs must not make a hint look whole
            self.mass[para] += len(text)
        # Each element's mass is its own and its children's: summed children
        # first (reverse document order), once, however deep the page nests.
        for element in reversed([e for e in root.iter() if e in self.mass or len(e)]):
            parent = element.getparent()
            if parent is not None and self.mass[element]:
                self.mass[parent] += self.mass[element]

    def best(self) -> html.HtmlElement | None:
        if not self.own:
            return None
        return max(self.own, key=lambda e: self.own[e])


def _vote_weight(near: list[html.HtmlElement], cache: dict, far: dict) -> float:
    """Near boilerplate wrappers (the paragraph's parent and grandparent, and
    page chrome) disqualify a paragraph; distant ones only discount it, since
    page-level wrappers carry words like "modal-enabled" or "with-right-rail"
    around everything."""
    if any(_strength(a, cache) == STRONG for a in near):
        return 0.0
    distant = near[1].getparent() if len(near) == 2 else None
    return _far_weight(distant, cache, far) if distant is not None else 1.0


def _far_weight(element: html.HtmlElement, cache: dict, far: dict) -> float:
    """The weight the element and its ancestors give a paragraph two or more
    levels below: 0 under page chrome, 0.25 under another boilerplate mark.
    One answer per element, each from its parent's, so paragraphs nested
    hundreds deep do not each walk up to the root."""
    chain = []
    node = element
    while node is not None and node not in far:
        chain.append(node)
        node = node.getparent()
    weight = far[node] if node is not None else 1.0
    for node in reversed(chain):
        if weight and _strength(node, cache) == STRONG:
            weight = 0.0 if node.tag in _CHROME else 0.25
        far[node] = weight
    return weight


def _is_promo(element: html.HtmlElement, cache: dict) -> bool:
    return _cached(cache, element, is_promo_box)


def _strength(element: html.HtmlElement, cache: dict) -> int:
    return _cached(cache, element, lambda e: boilerplate_strength(e) if e.tag not in ("html", "body") else 0)


def _cached(cache: dict, element: html.HtmlElement, measure):
    """One answer per element: each paragraph asks about its ancestors, and they share them."""
    value = cache.get(element)
    if value is None:
        value = cache[element] = measure(element)
    return value


def _direct_prose(element: html.HtmlElement) -> tuple[str, int]:
    """Text the element holds itself (not inside child blocks) and its link text length."""
    if element.tag in ("p", "pre") or element.tag == "li" and element.find(".//ul") is None \
            and element.find(".//ol") is None:
        raw = element.text_content()
        if len(raw) < _MIN_PARAGRAPH or len(raw.strip()) < _MIN_PARAGRAPH:
            return "", 0  # a menu entry, a label: skip the normalising
        links = sum(len(clean_text(a.text_content())) for a in element.iter("a"))
        return clean_text(raw), links
    parts = [element.text or ""]
    links = 0
    for child in element:
        if not isinstance(child.tag, str):
            parts.append(child.tail or "")
            continue
        if child.tag in ("a", "b", "strong", "i", "em", "span", "font", "br", "u", "sup", "sub", "small"):
            inner = child.text_content()
            if child.tag == "a":
                links += len(clean_text(inner))
            if child.tag == "span" and len(inner) > 200:
                inner = ""  # a span used as a block scores on its own
            parts.append(inner)
        parts.append(child.tail or "")
    raw = "".join(parts)
    if len(raw) < _MIN_PARAGRAPH or len(raw.strip()) < _MIN_PARAGRAPH:
        return "", 0  # most layout divs hold no text of their own: skip the normalising
    return clean_text(raw), links


def _outermost(elements: list[html.HtmlElement]) -> list[html.HtmlElement]:
    chosen = set(elements)
    return [e for e in elements if not any(a in chosen for a in e.iterancestors())]


def _hinted(root: html.HtmlElement) -> list[list[html.HtmlElement]]:
    """Hinted containers by trust: itemprop=articleBody, CMS body classes,
    <article>, and the page's <main> (a page of short sections, none of them
    a story on its own: a feature or a product page)."""
    marked = root.xpath('//*[@itemprop="articleBody" or @itemprop="articlebody"]')
    by_class = [e for e in root.iter("div", "section", "article", "main", "span", "td")
                if _BODY_CLASSES.search(tokens(e))]
    articles = list(root.iter("article"))
    mains = list(root.iter("main"))
    return [_outermost(marked), _outermost(by_class), _outermost(articles), _outermost(mains)[:1]]


def is_marked_body(element: html.HtmlElement) -> bool:
    """The page marks the element as the story body (itemprop or a CMS body class)."""
    return (element.get("itemprop") or "").lower() == "articlebody" or bool(_BODY_CLASSES.search(tokens(element)))


def find_containers(root: html.HtmlElement, reference: str | None = None) -> list[html.HtmlElement]:
    """The elements that hold the story body, in page order."""
    scores = Scores(root)
    best = scores.best()
    if best is None:
        return []
    best = _around_data_table(best, scores)
    total = scores.mass[best]
    candidates: list[list[html.HtmlElement]] = []
    around_best = {best, *best.iterancestors()}
    for level, tier in enumerate(_hinted(root)):
        tier = [e for e in tier if scores.mass[e] >= 80]
        if level == 3 and total >= _SHORT_PROSE:
            continue  # <main> only gathers a page of short sections, never overrides a story
        if tier and level == 2:
            # Several <article>s: the story comes first, teasers after it.
            top = max(scores.mass[e] for e in tier)
            tier = [next(e for e in tier if scores.mass[e] >= 0.25 * top)]
        if not tier:
            continue
        tier_mass = sum(scores.mass[e] for e in tier)
        # Several hinted blocks split one story; a lone hint must hold most of
        # it. Where the best-scored prose is short (a short story beside a
        # rail of promos), the page's only element marked as the body needs
        # a third of it: a short score is no proof of a story.
        lone_mark = level < 2 and len(tier) == 1 and tier_mass >= total / 3 and total < _SHORT_PROSE
        if any(e in around_best for e in tier) or tier_mass >= 0.6 * total or lone_mark:
            candidates.append(_keep_substantial(tier, scores))
    candidates.append(_with_siblings(best, scores))
    if reference and len(reference) > 400:
        # The page's own copy of the body decides; the top scored elements
        # on their own are candidates too (a teaser block can outscore the story).
        candidates += [[e] for e in sorted(scores.own, key=scores.own.__getitem__, reverse=True)[:3]]
        ref = shingles(reference)
        return max(candidates, key=lambda c: agreement(ref, _text_of(c)))
    return candidates[0]


def _around_data_table(best: html.HtmlElement, scores: Scores) -> html.HtmlElement:
    """A data table's cells score its rows, so a long table outscores the
    paragraphs that introduce it ("This list of films…" above the list):
    the block holding the table and prose of its own is the body. A data
    table has a caption or header cells; layout tables of old pages have
    neither, and their parent is the page."""
    if best.tag not in ("table", "thead", "tbody", "tr"):
        return best
    table = best if best.tag == "table" else next(best.iterancestors("table"), None)
    if table is None or not table.xpath("./caption | .//th"):
        return best
    holder = table.getparent()
    if holder is None or holder.tag in ("body", "html") or scores.own[holder] < 3:
        return best
    return holder


def _keep_substantial(tier: list[html.HtmlElement], scores: Scores) -> list[html.HtmlElement]:
    # Teasers that reuse the body class elsewhere on the page carry little prose.
    top = max(scores.mass[e] for e in tier)
    return [e for e in tier if scores.mass[e] >= 0.15 * top]


def _with_siblings(best: html.HtmlElement, scores: Scores) -> list[html.HtmlElement]:
    """The top element and any siblings that carry prose of their own: a body
    interrupted by an ad or an image block, or split over several columns.
    Higher up (up to three levels), only wrappers built like the one holding
    the top element count: repeated columns of one story look alike."""
    node, level, climbed = best, 0, False
    for _ in range(_MAX_CLIMB):
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html") or level == 3:
            break
        if level and _only_child(node, parent):
            # A wrapper around one wrapper ("<section><div><div>…") is no
            # level of layout: a story split into sections sits higher up.
            node, climbed = parent, True
            continue
        if level == 0:
            threshold = max(10.0, scores.own[best] * 0.2)
            candidates = [s for s in parent if isinstance(s.tag, str) and s is not node and scores.own[s] > 0
                          and boilerplate_strength(s) != STRONG]
            # A CMS that wraps each opening paragraph in its own div gives
            # each wrapper a small score; together they are the story's start.
            small = [s for s in candidates if scores.own[s] < threshold]
            grouped = len(small) >= 2 and sum(scores.own[s] for s in small) >= max(5.0, scores.own[best] * 0.2)
            kept = [s for s in parent if s is node or (
                s in candidates and (scores.own[s] >= threshold or grouped))]
        else:
            # Paragraphs of prose right beside the wrapper are the story's too.
            kept = _outermost([s for s in parent.iter(node.tag, "p") if s is node or (
                _built_alike(s, node, parent) and _carries_text(s, node, scores)) or (
                s.tag == "p" and s.getparent() is parent and scores.mass[s] >= 80)])
            if len(kept) > 1 and (climbed or not node.get("class")):
                # High above the top element, a shared class is a grid's
                # column as often as a story's part: it must not be mostly links either.
                node_chars, classed = len(node.text_content()), bool(node.get("class"))
                kept = [s for s in kept if s is node or _reads_as_story(s, node_chars, scores, classed)]
        if len(kept) > 1:
            return kept
        node, level = parent, level + 1
    return [best]


# How far above the top element the story's other wrappers are looked for,
# single-child wrappers included.
_MAX_CLIMB = 8


def _only_child(node: html.HtmlElement, parent: html.HtmlElement) -> bool:
    return all(child is node or not isinstance(child.tag, str) for child in parent)


def _carries_text(other: html.HtmlElement, node: html.HtmlElement, scores: Scores) -> bool:
    """Enough text to be part of the story: some prose, or, in a wrapper
    that shares the class of the one holding the top element, a paragraph
    or a list however short (a how-to's one-line step, its list of what
    you need), not a label alone ("Sponsored links")."""
    if scores.mass[other] >= 50:
        return True
    return bool(node.get("class")) and any(not text_within(block, 0) for block in other.iter("p", "ul", "ol"))


def _reads_as_story(other: html.HtmlElement, node_chars: int, scores: Scores, classed: bool = False) -> bool:
    """With no class to compare, every wrapper of a tag is built alike, and a
    side column, a comment thread or a rail of teasers would join the story.
    A part of the story (a how-to's step, an opening paragraph in a div of
    its own) is at least a fifth prose, hardly links, and no longer than the
    wrapper holding the top element. A wrapper sharing the top one's class
    need not be prose (a how-to's list of what you need)."""
    # Its asides (an author box, a newsletter form) are not what it reads as.
    asides = _outermost([e for e in other.iter(*_CHROME) if e is not other])
    inside = {e for aside in asides for e in aside.iter("a")}
    chars = len(other.text_content()) - sum(len(e.text_content()) for e in asides)
    links = sum(len(a.text_content()) for a in other.iter("a") if a not in inside)
    return (classed or scores.mass[other] >= 0.2 * chars) and links < 0.1 * chars and chars <= node_chars


def _built_alike(other: html.HtmlElement, node: html.HtmlElement, parent: html.HtmlElement) -> bool:
    """Another wrapper built like the one holding the top element: a sibling
    with the same class, or, wrapped a level or two deeper, one with the same
    class and the same inner build (a how-to's steps, each in its own span)."""
    if other.get("class") != node.get("class"):
        return False
    if other.getparent() is parent:
        return True
    return bool(node.get("class")) and _shape(other) == _shape(node)


def _shape(element: html.HtmlElement) -> tuple:
    return tuple((c.tag, c.get("class")) for c in element if isinstance(c.tag, str))[:3]


def _text_of(elements: list[html.HtmlElement]) -> str:
    return " ".join(e.text_content() for e in elements)

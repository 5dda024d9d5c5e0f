"""Read the story body out of its containers as a list of blocks.

The containers come from ``containers.find_containers``. Inside them, blocks
that are never story text (ads, share bars, newsletter boxes, captions,
related lists) are skipped; blocks whose class only suggests boilerplate
("widget", "hidden-xs") are kept when they carry real prose, because CMS
layouts use those words for the body's own wrappers.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

from lxml import html

from tasks.clean.boilerplate import STRONG, WEAK, boilerplate_strength, is_boilerplate_text
from tasks.clean.captions import alt_text_repeats, is_gallery, is_picture, slideshow_captions, unmarked_caption
from tasks.clean.inserts import (is_highlights_box, is_label_box, is_labelled_link_line, is_promo_box,
                                 is_reference_list, is_signup_box, under_more_label)
from tasks.clean.measures import link_density, links_below, measuring, prose_length, text_length
from tasks.clean.parse import (clean_text, element_text, has_rel, previous_element, text_with_breaks, text_within,
                               tokens)
from tasks.clean.threads import is_live_entry

BLOCK_TAGS = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "dl", "pre"})
# Containers of layout, walked through rather than taken as blocks; figures
# hold captions, which are never body text.
_SKIP_TAGS = frozenset({"figure", "figcaption", "picture", "img", "amp-img", "h1", "header"})
_CONTAINER_TAGS = frozenset({"div", "section", "article", "table", "main", "aside", "figure", "header"})
_WEAK_KEEP = 200  # characters of prose that keep a weakly-marked block
_STORY_OUTSIDE = 1000  # characters of prose beside a marked box that make it an insert in the story
_TOGGLE_MARK = re.compile(r"more|expand|collaps|continue|truncat", re.IGNORECASE)
# Page chrome and active content: skipped even when they hold much text.
_CHROME = frozenset({"nav", "footer", "aside", "menu", "script", "style", "noscript", "template", "iframe",
                     "form", "button", "svg", "select", "textarea", "object", "embed", "video", "audio"})


@dataclass(frozen=True)
class SourceBlock:
    """One body block: its tag and the source element it was read from."""

    tag: str
    text: str
    element: html.HtmlElement


def read_blocks(containers: list[html.HtmlElement]) -> list[SourceBlock]:
    """The body blocks of the containers, in page order."""
    blocks: list[SourceBlock] = []
    with measuring():
        standfirst = _standfirst(containers[0]) if containers else None
        if standfirst is not None:
            _walk(standfirst, blocks, prose_length(standfirst))
        for container in containers:
            if container.tag in BLOCK_TAGS:
                _take(container, blocks)
            else:
                _walk(container, blocks, prose_length(container))
    # A slideshow's captions (numbered, or repeating their pictures' alt
    # text) are not story text: as paragraphs or a list's items they go; as
    # the captions of pictures, the pictures stay figures. A gallery page's
    # captions are its story: only captions beside prose go.
    captions = slideshow_captions([b.text if b.tag in ("p", "figure") else "" for b in blocks]) \
        | alt_text_repeats([b.text if b.tag in ("p", "ul") else "" for b in blocks], containers)
    if sum(len(b.text) for i, b in enumerate(blocks) if b.tag == "p" and i not in captions) < 200:
        captions = set()
    slide_figures = {blocks[i].element for i in captions if blocks[i].tag == "figure"}
    blocks = [b for i, b in enumerate(blocks) if not (i in captions and b.tag in ("p", "ul")) and not (
        b.tag in ("ul", "ol") and slideshow_captions([element_text(item) for item in list_items(b.element)]))]
    return _without_lone_linked_headings(_captions_or_story(blocks, slide_figures))


def _captions_or_story(blocks: list[SourceBlock], slides: set[html.HtmlElement]) -> list[SourceBlock]:
    """Boxes of a picture and a short line were read as figures; when those
    lines are most of the text, they are the story told beside its pictures
    (a brief under a photo, a photo essay), not captions."""
    unmarked = {i for i, b in enumerate(blocks)
                if b.tag == "figure" and b.element.tag in ("div", "section") and b.element not in slides}
    prose = sum(len(b.text) for b in blocks if b.tag == "p")
    if not unmarked or sum(len(blocks[i].text) for i in unmarked) < prose:
        return blocks
    return [SourceBlock("p", b.text, b.element) if i in unmarked else b for i, b in enumerate(blocks)]


_HEADING_TAGS = ("h2", "h3", "h4", "h5", "h6")


def _away_link_text(heading: html.HtmlElement) -> int:
    """Characters of the heading inside links to other pages; a link to its own
    anchor ("#section-2", a table of contents' target) leads nowhere else."""
    return sum(len(element_text(a)) for a in heading.iter("a") if not (a.get("href") or "#").startswith("#"))


_SECTION_PROSE = 200  # characters of story under a linked heading that make it a section


def _without_lone_linked_headings(blocks: list[SourceBlock]) -> list[SourceBlock]:
    """A heading that is all link is a promo for another story, unless the
    story is built of them: three or more of one level, each over a section
    of prose, the sections most of the story (a listicle whose headings link
    to what they review, not related posts with excerpts under a story)."""
    linked = [i for i, b in enumerate(blocks) if b.tag in _HEADING_TAGS and len(b.text) < 160
              and _away_link_text(b.element) > 0.8 * len(b.text)]
    if not linked:
        return blocks
    story = sum(len(b.text) for b in blocks if b.tag == "p")
    dropped = set()
    for level in {blocks[i].tag for i in linked}:
        starts = [i for i in linked if blocks[i].tag == level]
        ends = starts[1:] + [len(blocks)]
        sections = [sum(len(b.text) for b in blocks[start + 1:end] if b.tag == "p")
                    for start, end in zip(starts, ends)]
        if len(starts) < 3 or min(sections) < _SECTION_PROSE or sum(sections) < 0.5 * story:
            dropped.update(starts)
    return [b for i, b in enumerate(blocks) if i not in dropped]


_STANDFIRST = re.compile(r"(?:^|[\s_-])(?:standfirst|stand-first|summary|lede|dek|deck|intro|excerpt|subtitle"
                         r"|sub-headline|subheadline|article-lead|story-lead|teaser-text)(?:$|[\s_-])")


_QUOTE_MARK = re.compile(r"(?:^|[\s_-])(?:pull|quote|pullquote|callout|highlight|blockquote)(?:$|[\s_-])")


def _standfirst(container: html.HtmlElement) -> html.HtmlElement | None:
    """The story's standfirst: a summary block placed just before the body
    container (or before a wrapper of it, two levels up), outside it."""
    node = container
    for _ in range(3):
        previous = previous_element(node)
        if previous is not None:
            text = len(element_text(previous))
            if _STANDFIRST.search(tokens(previous)) and 40 <= text <= 600 and link_density(previous) < 0.3:
                return previous
            return None
        node = node.getparent()
        if node is None:
            return None
    return None


def _skipped(element: html.HtmlElement, container_prose: int) -> bool:
    # A nested <article> is a teaser (more posts under the story) unless it
    # is nearly all of the container, or a live blog's entry: prose of its
    # own, timed, under a heading that links nowhere.
    strength = STRONG if element.tag == "article" and not is_live_entry(element) else boilerplate_strength(element)
    # Tag links are link text: a box whose links are under 60% of it needs no search for them.
    if element.tag != "article" and (element.tag == "a" or links_below(element)[1] > 0.6 * text_length(element)) \
            and element.find(".//a[@rel]") is not None and _is_tag_links(element, element_text(element)):
        return True  # "Tags<br><a rel=tag>…</a>, …": the story's tags, read as tags
    if not strength:
        return element.tag in ("div", "section", "table") and (
            _is_link_list(element, container_prose) or is_signup_box(element) or _is_teaser_grid(element)
            or _is_link_line(element) or is_label_box(element) or is_promo_box(element) or is_highlights_box(element))
    prose = prose_length(element)
    if strength == WEAK:
        return prose < _WEAK_KEEP
    # A strongly-marked wrapper that holds nearly all the story is a layout
    # wrapper ("article modal-enabled"), not a box inside the story. A long
    # gallery or related box can hold more prose than the story beside it:
    # story paragraphs outside the box make it an insert, however long,
    # unless it is the rest of the story behind a "read more" toggle.
    outside = container_prose - prose
    return element.tag in _CHROME or prose < 0.7 * container_prose or prose < _WEAK_KEEP \
        or (outside >= _STORY_OUTSIDE and not _TOGGLE_MARK.search(tokens(element)))


def _is_link_line(element: html.HtmlElement) -> bool:
    """A short box of nothing but links ("Filed under: <a>Gadgets</a>, <a>TV</a>"):
    the rule a link-only paragraph already follows, for a box with no blocks inside."""
    if not text_within(element, 160):
        return False  # read no further than a line's worth
    text = element_text(element)
    return 0 < len(text) < 160 and not _has_blocks(element) and element.find(".//a") is not None \
        and (link_density(element, text) > 0.8 or is_labelled_link_line(element, text))


def _is_teaser_grid(element: html.HtmlElement) -> bool:
    """Three or more cards alike (same tag and class), each a linked picture
    or title with a line of summary: other stories, however little of the
    text is links."""
    cards: dict[tuple, int] = {}
    blocks = 0
    for child in element:
        if not isinstance(child.tag, str) or text_within(child, 0) and not element_text(child):
            continue
        blocks += 1
        if child.tag in ("div", "article", "section", "li") and child.get("class") \
                and child.find(".//a[@href]") is not None and child.find(".//img") is not None \
                and text_within(child, 300) and len(element_text(child)) <= 300:
            key = (child.tag, child.get("class"))
            cards[key] = cards.get(key, 0) + 1
    # Most of the block is cards: a story's own figures sit among its paragraphs.
    return any(count >= 3 and count >= 0.6 * blocks for count in cards.values())


def _is_link_list(element: html.HtmlElement, container_prose: int) -> bool:
    """A box of links to other stories (teaser titles, maybe with a line of
    summary each): mostly link text, several links, little of the prose."""
    count, link_chars = links_below(element)
    if count < 3:
        return False
    density = link_chars / (text_length(element) or 1)
    if density <= 0.5 and is_reference_list(element):
        return False  # the article's references: each cites a source, its links are the citation's
    return density > 0.5 or (density > 0.3 and prose_length(element) < 0.3 * container_prose)


_INLINE_TAGS = frozenset({"a", "b", "strong", "i", "em", "span", "font", "u", "small", "sup", "sub",
                          "mark", "cite", "q", "abbr", "time", "code", "s", "del", "ins", "big", "tt"})


_BLOCK_STYLE = re.compile(r"display\s*:\s*(?:block|flex|list-item)", re.IGNORECASE)


def _walk(element: html.HtmlElement, blocks: list[SourceBlock], container_prose: int) -> None:
    """Blocks of a container in page order; inline text between its blocks
    (a div used as a paragraph, legacy <br><br> layouts) becomes paragraphs.
    Only a <br> breaks that text: a line break in the source is a space, as
    a browser shows it."""
    buffer: list[str] = [_spaced(element.text)]

    def flush() -> None:
        text = "".join(buffer)
        buffer.clear()
        for piece in text.split("\n"):
            piece = clean_text(piece)
            if piece and not is_boilerplate_text(piece):
                blocks.append(SourceBlock("p", piece, element))

    for child in element:
        tag = child.tag if isinstance(child.tag, str) else None
        if tag is None:
            buffer.append(_spaced(child.tail))
            continue
        if tag in ("ul", "ol") and under_more_label(child):
            buffer.append(_spaced(child.tail))
            continue
        if tag == "br":
            buffer.append("\n")
        elif tag == "h1" and any(b.tag == "p" for b in blocks):
            # After the story's first paragraphs an <h1> heads a section (some
            # editors write every heading as <h1>); before them, it is the headline.
            flush()
            text = element_text(child)
            if text and not is_boilerplate_text(text):
                blocks.append(SourceBlock("h2", text, child))
        elif tag == "figure" and is_picture(child) and not _skipped(child, container_prose):
            flush()
            caption = child.find(".//figcaption")
            blocks.append(SourceBlock("figure", element_text(caption) if caption is not None else "", child))
        elif tag in ("div", "section") and (caption := unmarked_caption(child)) and not _skipped(child, container_prose):
            flush()
            blocks.append(SourceBlock("figure", caption, child))
        elif tag in _SKIP_TAGS or _skipped(child, container_prose):
            pass
        elif tag in _INLINE_TAGS and not _has_blocks(child):
            if _BLOCK_STYLE.search(child.get("style") or ""):
                flush()  # <span style="display:block">: a paragraph, laid out as one
                buffer.append(_spaced(child.text_content()))
                flush()
            else:
                buffer.append(_spaced(child.text_content()))
        else:
            flush()
            if (tag in BLOCK_TAGS and not is_gallery(child)) or (tag == "table" and _is_data_table(child)):
                _take(child, blocks)
            else:
                _walk(child, blocks, container_prose)
        buffer.append(_spaced(child.tail))
    flush()


def _spaced(text: str | None) -> str:
    return text.replace("\n", " ") if text else ""


def _has_blocks(element: html.HtmlElement) -> bool:
    for d in element.iterdescendants():
        if isinstance(d.tag, str) and (d.tag in BLOCK_TAGS or d.tag in _CONTAINER_TAGS or d.tag == "br"):
            return True
    return False


def _is_data_table(table: html.HtmlElement) -> bool:
    """A table of data inside the story (results, figures), not a layout
    table holding the page: rows of short cells, no blocks or tables inside."""
    rows = table.findall(".//tr")
    if len(rows) < 2 or table.find(".//table") is not None or table.find(".//p") is not None:
        return False
    cells = [c for row in rows for c in row if c.tag in ("td", "th")]
    return bool(cells) and max(len(element_text(c)) for c in cells) < 300 and link_density(table) < 0.5


def _take(element: html.HtmlElement, blocks: list[SourceBlock]) -> None:
    if element.tag == "table":
        blocks.append(SourceBlock("table", element_text(element), element))
        return
    if element.tag in ("ul", "ol", "dl"):
        items = list_items(element)
        if not items or _is_links_only(element, items):
            return  # a list of links: related stories, tags, share targets
        blocks.append(SourceBlock(element.tag, "\n".join(element_text(li) for li in items), element))
        return
    if element.tag == "p" and element.find(".//br") is not None:
        # <br> inside a paragraph separates paragraphs on legacy pages.
        for piece in text_with_breaks(element).split("\n"):
            text = clean_text(piece)
            if text and not is_boilerplate_text(text):
                blocks.append(SourceBlock("p", text, element))
        return
    own = _without_cards(element)
    text = element_text(own)
    # Code is shown as written: markup in a code sample is its subject, not a leak.
    if not text or (element.tag != "pre" and is_boilerplate_text(text)):
        return
    if element.tag not in ("blockquote", *_HEADING_TAGS) and len(text) < 160 \
            and (link_density(own, text) > 0.8 or is_labelled_link_line(own, text)):
        return  # "Read more: <a>…</a>" promos and link-only lines; linked headings are weighed together
    # A block styled as a quote (a pull-quote in larger type) is a quote:
    # dedupe drops it, and says so, when it repeats a passage of the story.
    tag = "blockquote" if element.tag == "p" and _QUOTE_MARK.search(tokens(element)) else element.tag
    blocks.append(SourceBlock(tag, text, element))


def _is_tag_links(element: html.HtmlElement, text: str) -> bool:
    """A block that is mostly rel=tag links, however long the list."""
    tagged = sum(len(element_text(a)) for a in element.iter("a") if has_rel(a, "tag"))
    return tagged > 0.6 * len(text)


def list_items(element: html.HtmlElement) -> list[html.HtmlElement]:
    """The items of a list with text, in order, without items that are
    boilerplate on their own (a "Share" entry, a photo's caption in a
    carousel). A list written straight inside its parent list
    (``<ol><li>…</li><ol><li>…</li></ol></ol>``, which browsers show as a
    nested list) gives its items too."""
    items = []
    for child in element:
        if child.tag in ("li", "dt", "dd"):
            text = element_text(child)
            if text and not is_boilerplate_text(text):
                items.append(child)
        elif child.tag in ("ul", "ol"):
            items.extend(list_items(child))
    return items


def _is_links_only(element: html.HtmlElement, items: list[html.HtmlElement]) -> bool:
    """Mostly link text, and most items nothing but a link: a sentence with
    links in it (a changelog, a list of steps) is not a list of links, nor
    is a list with an item of prose and no link (notes with the bugs they
    fixed, each a link, in a list under it)."""
    if link_density(element) <= 0.6:
        return False
    if any(len(text := _own_text(li)) >= 80 and link_density(li, text) < 0.2 for li in items):
        return False
    return sum(link_density(li) >= 0.8 for li in items) >= 0.5 * len(items)


def _own_text(item: html.HtmlElement) -> str:
    """A list item's text without the lists nested in it."""
    if item.find(".//ul") is None and item.find(".//ol") is None:
        return element_text(item)
    own = copy.deepcopy(item)
    for nested in [n for n in own.iter("ul", "ol") if n is not own]:
        nested.drop_tree()
    return element_text(own)


def _without_cards(element: html.HtmlElement) -> html.HtmlElement:
    """The block without hover cards: an inline box inside a paragraph that
    carries its own picture (a profile card behind a linked name) holds text
    that is not part of the sentence."""
    if element.find(".//img") is None:
        return element
    copy_ = copy.deepcopy(element)
    cards = [c for c in copy_.iter("span", "div") if _is_card(c)]
    # The innermost card only: its wrapper usually holds the linked name itself.
    for card in [c for c in cards if not any(o is not c and o in cards for o in c.iterdescendants())]:
        if card.getparent() is not None:
            card.drop_tree()
    return copy_


def _is_card(element: html.HtmlElement) -> bool:
    return element.find(".//img") is not None and element.find(".//a") is not None \
        and len(element_text(element)) > 20

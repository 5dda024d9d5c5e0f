"""How much prose and how much link text a box holds, read once per walk.

The body walk asks the same questions of a box and of every box inside it.
Answered from each box's whole subtree, a page of boxes within boxes paid
for its text once per nesting level (a hundred levels around a thousand
teasers: seconds). Within ``measuring()``, the first question about a box
measures every element under it in one pass, each total summed from its
children's, and later questions are answered from that.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from lxml import html

from tasks.clean.parse import element_text, visible

# Per element: (prose characters, links below it, their characters, its text's shape).
_MEASURED: ContextVar[dict | None] = ContextVar("measured", default=None)
# The shape of a text, enough to tell the length of its clean_text and to
# join two: (characters that are not spaces, words, opens with a space,
# ends with a space); None for no text.
_Shape = tuple[int, int, bool, bool] | None


@contextmanager
def measuring() -> Iterator[None]:
    """Keep the measures for one walk of one tree (which it must not change)."""
    token = _MEASURED.set({})
    try:
        yield
    finally:
        _MEASURED.reset(token)


def link_density(element: html.HtmlElement, text: str | None = None) -> float:
    """The share of the element's text inside links (at most 1)."""
    text_chars = len(element_text(element) if text is None else text) or 1
    links = sum(len(element_text(a)) for a in element.iter("a"))
    return min(links / text_chars, 1.0)


def prose_length(element: html.HtmlElement) -> int:
    """Characters of the paragraphs inside the element (itself included)
    whose text is less than half links."""
    return _measures(element)[0]


def text_length(element: html.HtmlElement) -> int:
    """len(element_text(element)), summed from its children's in one walk
    rather than read from its whole subtree at every level."""
    shape = _measures(element)[3]
    return shape[0] + shape[1] - 1 if shape and shape[1] else 0


def links_below(element: html.HtmlElement) -> tuple[int, int]:
    """How many links the element holds (not counting itself), and their characters."""
    _, count, chars, _ = _measures(element)
    if element.tag == "a":
        count, chars = count - 1, chars - len(element_text(element))
    return count, chars


def _measures(element: html.HtmlElement) -> tuple[int, int, int, _Shape]:
    measured = _MEASURED.get()
    if measured is None:
        measured = {}  # outside a walk: measured afresh
    found = measured.get(element)
    if found is not None:
        return found
    for node in reversed(list(element.iter())):
        if node in measured or not isinstance(node.tag, str):
            continue
        prose, count, chars = _own(node)
        shape = _shape_of(node.text)
        for child in node:
            if isinstance(child.tag, str):
                below = measured[child]
                prose, count, chars = prose + below[0], count + below[1], chars + below[2]
                shape = _joined(shape, below[3])
            shape = _joined(shape, _shape_of(child.tail))  # a comment's tail is text too
        measured[node] = (prose, count, chars, shape)
    return measured[element]


def _shape_of(text: str | None) -> _Shape:
    text = visible(text or "")
    if not text:
        return None
    words = text.split()
    if not words:
        return (0, 0, True, True)
    return (sum(map(len, words)), len(words), text[0].isspace(), text[-1].isspace())


def _joined(a: _Shape, b: _Shape) -> _Shape:
    """The shape of two texts written one after the other: a word split
    between them ("<b>Ferry</b>men") is one word."""
    if a is None:
        return b
    if b is None:
        return a
    if not a[1]:  # spaces only: b, after a space
        return (b[0], b[1], True, b[3])
    if not b[1]:
        return (a[0], a[1], a[2], True)
    glued = not a[3] and not b[2]
    return (a[0] + b[0], a[1] + b[1] - glued, a[2], b[3])


def _own(node: html.HtmlElement) -> tuple[int, int, int]:
    if node.tag == "p":
        text = element_text(node)
        return (len(text) if text and link_density(node, text) < 0.5 else 0), 0, 0
    if node.tag == "a":
        return 0, 1, len(element_text(node))
    return 0, 0, 0

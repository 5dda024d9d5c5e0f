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

from tasks.clean.parse import element_text

# Per element: (prose characters, links below it, their characters).
_MEASURED: ContextVar[dict | None] = ContextVar("measured", default=None)


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


def links_below(element: html.HtmlElement) -> tuple[int, int]:
    """How many links the element holds (not counting itself), and their characters."""
    _, count, chars = _measures(element)
    if element.tag == "a":
        count, chars = count - 1, chars - len(element_text(element))
    return count, chars


def _measures(element: html.HtmlElement) -> tuple[int, int, int]:
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
        for child in node:
            if isinstance(child.tag, str):
                below = measured[child]
                prose, count, chars = prose + below[0], count + below[1], chars + below[2]
        measured[node] = (prose, count, chars)
    return measured[element]


def _own(node: html.HtmlElement) -> tuple[int, int, int]:
    if node.tag == "p":
        text = element_text(node)
        return (len(text) if text and link_density(node, text) < 0.5 else 0), 0, 0
    if node.tag == "a":
        return 0, 1, len(element_text(node))
    return 0, 0, 0

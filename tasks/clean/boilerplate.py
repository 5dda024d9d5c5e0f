"""What is not the story: page chrome and promotional blocks.

Two kinds of evidence: the element itself (tag, class/id, role, hidden) and
its text ("Advertisement", "Share", newsletter pitches). Both are kept as
data here, so extending them is a one-line change with a fixture to prove it.
"""

from __future__ import annotations

import re

from lxml import html

from tasks.clean.parse import tokens

# Never content, wherever they are.
DROP_TAGS = frozenset({
    "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object",
    "embed", "applet", "form", "button", "input", "select", "textarea", "svg", "math",
    "canvas", "video", "audio", "map", "dialog", "link", "meta", "base",
    "amp-ad", "amp-embed", "amp-analytics", "amp-sticky-ad", "amp-social-share",
})
# Page chrome: dropped unless it is the article container itself.
CHROME_TAGS = frozenset({"nav", "footer", "aside", "menu"})

# class/id words that mark boilerplate. Matched as whole words of the class
# or id (split on -, _ and spaces), so "shadow" never matches "ad".
_BOILERPLATE_WORDS = {
    "ad", "ads", "advert", "adverts", "advertisement", "advertising", "adslot", "adunit",
    "dfp", "gpt", "banner", "sponsor", "sponsored", "promo", "promotion", "promoted",
    "share", "sharing", "shares", "sharebar", "social", "socials", "sociallinks",
    "newsletter", "newsletters", "subscribe", "subscription", "signup", "paywall",
    "related", "recommended", "recommendations", "recirc", "more", "readmore", "trending",
    "popular", "mostread", "outbrain", "taboola", "comments", "comment", "disqus",
    "cookie", "cookies", "consent", "gdpr", "breadcrumb", "breadcrumbs", "nav", "navbar",
    "navigation", "menu", "sidebar", "rail", "widget", "modal", "popup", "overlay",
    "toolbar", "pullquote", "tags", "tag", "tagcloud", "keywords", "topics", "footer",
    "masthead", "skip", "print", "hidden", "visually", "sr", "screenreader", "byline",
    "dateline", "timestamp", "author", "caption", "credit", "figcaption",
}
# Compound words seen in the wild, matched as substrings.
_BOILERPLATE_FRAGMENTS = (
    "advert", "newsletter", "social-", "share-", "-share", "sharebar", "sharing", "cookie",
    "related-", "-related", "recommend", "outbrain", "taboola", "sponsor", "subscribe",
    "promo-", "-promo", "pullquote", "pull-quote", "most-read", "mostread", "read-more",
    "readmore", "ad-slot", "ad-container", "ad-wrapper", "adslot", "adunit", "ad-unit",
    "google_ads", "dfp-", "paywall", "signup", "sign-up",
)
# Words that would match above but name a content container.
_CONTENT_WORDS = ("article-body", "articlebody", "story-body", "entry-content", "post-content",
                  "article-content", "story-content", "body-text")

_WORD_SPLIT = re.compile(r"[\s_\-]+")

# Whole blocks whose text is boilerplate. Anchored: a story sentence that
# merely mentions a newsletter stays.
BOILERPLATE_TEXT = re.compile(
    r"""^(?:
        share(?:\s+(?:this|on|via)\b.*)? | shares? | tweet | email | print | save | comments?
      | advertisement | advertising | sponsored(?:\s+content)? | ad | paid\s+content
      | (?:scroll|continue)\s+(?:down\s+)?(?:to|for)\s+(?:continue|more|content).*
      | story\s+continues\s+below.* | article\s+continues\s+(?:below|after).*
      | (?:sign\s*up|subscribe|register)\b.{0,120}\b(?:newsletter|updates|inbox|email|alerts)\b.*
      | .{0,80}\bnewsletter\b.{0,80}(?:sign\s*up|subscribe|inbox)\b.*
      | get\s+(?:our|the)\s+.{0,40}newsletter.*
      | (?:read|see)\s+(?:more|also)\s*:.* | related\s*(?:stories|articles|coverage|content)?\s*:.*
      | more\s+(?:on\s+this\s+story|stories|from\s+[\w\s]{1,40})\s*:?.*
      | (?:follow|like)\s+us\s+on\b.* | click\s+here\b.{0,60}
      | (?:this\s+(?:site|website)\s+uses|we\s+use)\s+cookies\b.* | .{0,60}accept\s+(?:all\s+)?cookies.*
      | (?:image|photo|photograph|video|picture)\s*(?:credit)?\s*:\s*\S.{0,80}
      | (?:copyright|©)\s.{0,120} | all\s+rights\s+reserved\.?
      | (?:recommended|trending|most\s+(?:read|popular|viewed))(?:\s+(?:stories|articles|now))?\s*:?
      | (?:listen\s+to\s+(?:this\s+)?(?:article|story)).{0,40} | \d+\s+min(?:ute)?s?\s+read
      | (?:updated|published|posted)\s*:?\s*\w{3,9}\.?\s+\d{1,2},?\s+\d{4}.{0,40}
      | skip\s+to\s+(?:main\s+)?content | back\s+to\s+top | loading\.{0,3}
    )$""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)


def is_boilerplate_element(element: html.HtmlElement) -> bool:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in DROP_TAGS:
        return True
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    style = (element.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    role = (element.get("role") or "").lower()
    if role in ("navigation", "banner", "contentinfo", "complementary", "search", "dialog",
                "alertdialog", "menu", "menubar", "toolbar"):
        return True
    marks = tokens(element)
    if not marks.strip():
        return False
    if any(word in marks for word in _CONTENT_WORDS):
        return False
    words = set(_WORD_SPLIT.split(marks))
    if words & _BOILERPLATE_WORDS:
        return True
    return any(fragment in marks for fragment in _BOILERPLATE_FRAGMENTS)


def is_boilerplate_text(text: str) -> bool:
    return bool(BOILERPLATE_TEXT.match(text.strip()))

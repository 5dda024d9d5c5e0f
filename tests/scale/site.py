"""A generated news site for the scale test: N stories built from the hand-
written fixture pages, and several feeds whose listings overlap."""

from __future__ import annotations

import email.utils
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from cli.local_services import FIXTURES

WORDS = ("river council harbour library archive flood bridge market school station budget museum "
         "hospital election festival railway garden theatre stadium airport").split()


CANONICAL = re.compile(r'<link rel="canonical" href="[^"]*">')


def _templates() -> list[str]:
    """Fixture pages that name their canonical URL with a link (each story
    gets its own); a page without one would make every copy the same story."""
    pages = sorted((FIXTURES / "news").glob("*.html")) + sorted((FIXTURES / "pages").glob("*.html"))
    texts = [p.read_text("utf-8", errors="replace") for p in pages]
    return [text for text in texts if len(CANONICAL.findall(text)) == 1 and "og:url" not in text][:6]


def story_page(template: str, index: int, edition: int = 1) -> str:
    """Story ``index``: its own canonical URL, headline and paragraph text; a
    later ``edition`` changes the body, as a correction does."""
    word = WORDS[index % len(WORDS)]
    html = CANONICAL.sub(f'<link rel="canonical" href="/story/{index}.html">', template)
    html = re.sub(r"(<h1[^>]*>)([^<]*)", lambda m: f"{m.group(1)}{m.group(2)} ({word} {index})", html, count=1)
    html = re.sub(r'(<meta property="og:title" content=")([^"]*)',
                  lambda m: f"{m.group(1)}{m.group(2)} ({word} {index})", html, count=1)
    note = f", the {word} desk noted in report {index}" + ("" if edition == 1 else f" (edition {edition})")
    return re.sub(r"<p>([^<]{40,}?)\.", lambda m: f"<p>{m.group(1)}{note}.", html)


@dataclass
class Site:
    root: Path
    feeds: dict[str, list[int]]  # source name -> story numbers it lists
    count: int

    def write_story(self, index: int, edition: int = 1) -> None:
        templates = _templates()
        path = self.root / "story" / f"{index}.html"
        path.write_text(story_page(templates[index % len(templates)], index, edition), "utf-8")
        self._editions[index] = edition

    def write_feeds(self) -> None:
        for name, stories in self.feeds.items():
            items = "".join(
                f"<item><title>Story {i}</title><link>{{{{SITE}}}}/story/{i}.html</link>"
                f"<guid isPermaLink=\"false\">story-{i}</guid>"
                f"<pubDate>{email.utils.formatdate(1_790_000_000 + i * 60 + self._editions.get(i, 1) * 7200, usegmt=True)}"
                f"</pubDate></item>" for i in stories)
            (self.root / "feeds" / f"{name}.rss").write_text(
                f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title>'
                f"<link>{{{{SITE}}}}/</link>{items}</channel></rss>", "utf-8")

    def sources_yaml(self, site_url: str) -> str:
        return "sources:\n" + "".join(f"  - name: {name}\n    url: {site_url}/feeds/{name}.rss\n    kind: feed\n"
                                      f"    limit: 1000\n    robots: false\n" for name in self.feeds)

    def __post_init__(self) -> None:
        self._editions: dict[int, int] = {}


def build_site(root: Path, count: int, extra: int) -> Site:
    """``count`` stories listed by four overlapping feeds, and ``extra`` more
    that no feed lists (for editors' on-demand runs)."""
    (root / "story").mkdir(parents=True)
    (root / "feeds").mkdir()
    shutil.copytree(FIXTURES / "media", root / "media")
    third = count // 3
    feeds = {
        "metro": list(range(0, third + 100)),
        "region": list(range(third, 2 * third + 100)),
        "nation": list(range(2 * third, count)),
        "digest": list(range(0, count, 4)),  # every fourth story, listed twice over
    }
    site = Site(root, feeds, count)
    for index in range(count + extra):
        site.write_story(index)
    site.write_feeds()
    return site

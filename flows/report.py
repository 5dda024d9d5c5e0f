"""What a flow shows in the Prefect UI: markdown artifacts for stories."""

from __future__ import annotations

from tasks.models import Draft, PublishResult, PubStatus, StoryStatus


_MARKDOWN = set("\\`*_{}[]()#+-.!|<>~=:&")


def _md(text: str) -> str:
    """Page- or editor-provided text as inert markdown: on one line, control
    characters gone, every character markdown gives a meaning escaped (``~~~``
    would open a code fence that swallows the rest of the artifact)."""
    flat = " ".join("".join(c if c.isprintable() else " " for c in str(text)).split())
    return "".join("\\" + c if c in _MARKDOWN else c for c in flat)


markdown_text = _md  # for other flows' artifacts


def _link(url: str) -> str:
    """A working link: the URL as an autolink, with what would end it percent-encoded."""
    safe = "".join(f"%{ord(c):02X}" if c in "<> \"" or not c.isprintable() else c for c in url)
    return f"<{safe}>" if safe.startswith(("http://", "https://")) else _md(url)


def status_label(draft: Draft, result: PublishResult) -> str:
    """What happened, in an editor's words."""
    if result.status != StoryStatus.PUBLISHED:
        return str(result.status)
    if draft.pub_status == PubStatus.CANCELED:
        return "withdrawn"
    if draft.pub_status == PubStatus.WITHHELD:
        return "embargoed"
    if draft.embargo_until:
        return "released"
    return "corrected" if result.version > 1 else "published"


def story_markdown(draft: Draft, result: PublishResult, *, embargo_until: str | None = None) -> str:
    article = draft.article
    lines = [f"# {_md(article.headline)}", ""]
    lines.append(f"**Status:** {status_label(draft, result)} · **version** {result.version}"
                 f" · **story** `{result.story_id}`")
    if embargo_until and result.status == StoryStatus.EMBARGOED:
        lines.append(f"**Embargoed until:** {_md(embargo_until)} (held privately; released then by a scheduled"
                     " run of release-story)")
    elif draft.embargo_until and draft.pub_status == PubStatus.USABLE:
        lines.append(f"**Released:** embargoed until {_md(draft.embargo_until)}")
    for note in draft.notes:
        if note.startswith("withdrawn: "):
            lines.append(f"**Withdrawn:** {_md(note.removeprefix('withdrawn: '))}")
    if article.byline:
        lines.append(f"**By:** {_md(article.byline)}")
    if article.published:
        lines.append(f"**Published:** {_md(article.published)}")
    lines.append("")
    if article.image:
        caption = _md(article.image.caption or "(no caption)")
        credit = f" ({_md(article.image.credit)})" if article.image.credit else ""
        lines += [f"**Caption:** {caption}{credit}", ""]
    lines.append("**Tags:** " + (", ".join(_md(t) for t in article.tags) or "(none)"))
    lines.append("")
    if result.removed_paragraphs:
        lines.append(f"**Dedupe removed {len(result.removed_paragraphs)} paragraph(s):**")
        for removed in result.removed_paragraphs:
            lines.append(f"- #{removed.index} ({removed.reason} repeat of #{removed.duplicate_of})")
        lines.append("")
    lines.append("| object | location |")
    lines.append("|---|---|")
    for uri in result.objects:
        lines.append(f"| {uri.rsplit('/', 1)[-1]} | `{uri}` |")
    lines.append(f"| latest | `{result.latest_uri}` |")
    lines.append("")
    lines.append(f"Source: {_link(article.url)}")
    return "\n".join(lines) + "\n"

"""What a flow shows in the Prefect UI: markdown artifacts for stories."""

from __future__ import annotations

from tasks.models import Draft, PublishResult


def _md(text: str) -> str:
    """Escape markdown control characters in page-provided text."""
    return "".join("\\" + c if c in "\\`*_{}[]()#+-.!|<>" else c for c in text)


def story_markdown(draft: Draft, result: PublishResult) -> str:
    article = draft.article
    lines = [f"# {_md(article.headline)}", ""]
    lines.append(f"**Status:** {result.status} · **version** {result.version} · **story** `{result.story_id}`")
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
    lines.append(f"Source: {_md(article.url)}")
    return "\n".join(lines) + "\n"

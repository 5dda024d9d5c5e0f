"""Reader comments known by their shape, on pages whose markup has no classes."""

from __future__ import annotations

import pytest

from tasks.clean import extract_article

_STORY = ("<p>The harbour authority said on Tuesday that the new breakwater, planned for a decade, "
          "would be finished before the winter storms reach the northern coast.</p>"
          "<p>Work resumes in March, once the last of the granite blocks has arrived from the quarry.</p>")
_REPLY = ("I have lived on this coast for forty years, and every winter the storms take a piece of the "
          "road, the pier and the gardens with them. A breakwater is long overdue, whatever it costs, "
          "and I hope the council finds the money for the northern bay as well, since the fishing boats "
          "moored there have nowhere to shelter when the wind turns.")


def _page(body: str) -> str:
    return ("<html><head><title>Breakwater to be finished by winter</title></head><body>"
            "<h1>Breakwater to be finished by winter</h1>" + body + "</body></html>")


def _thread(header: str, count: int = 6) -> str:
    return "<div><h3>Comments</h3><ul>" + "".join(
        f"<li><div><div>{header.format(n=n)}</div><p>{_REPLY}</p><p>{_REPLY}</p></div></li>"
        for n in range(count)) + "</ul></div>"


@pytest.mark.parametrize("header", [
    "<strong>Reader {n}</strong> on <a href='#c{n}'>September 12, 2018 at 4:47 pm</a> said:",
    "<a href='/profile/{n}'>Reader {n}</a> <span>({n} days ago)</span>",
])
def test_a_long_comment_thread_under_a_short_story_is_not_the_body(header):
    page = _page(f"<div>{_STORY}</div>{_thread(header)}")
    article = extract_article(page, "https://news.example/breakwater")
    assert article.paragraphs[0].startswith("The harbour authority said")
    assert not any("forty years" in p or "Reader" in p for p in article.paragraphs)


def test_a_live_blog_whose_entries_are_headed_by_their_time_alone_stays_whole():
    entries = "".join(f"<div><div>{n} hours ago</div><p>Update {n}: {_REPLY}</p></div>" for n in range(1, 7))
    article = extract_article(_page(f"<div>{entries}</div>"), "https://news.example/live")
    assert [p[:9] for p in article.paragraphs if p.startswith("Update")] == [f"Update {n}:" for n in range(1, 7)]


def test_a_story_quoting_several_speakers_keeps_its_said_lines():
    # Each paragraph in its own wrapper, as some editors save them: "said:" with no date is the story's.
    quotes = "".join(f"<div><p>The minister of state for {office} said:</p></div><div><blockquote>{_REPLY}"
                     "</blockquote></div>" for office in ("ports", "roads", "fisheries", "the coast"))
    article = extract_article(_page(f"<div>{_STORY}{quotes}</div>"), "https://news.example/quotes")
    assert sum(p.startswith("The minister of state") for p in article.paragraphs) == 4


def test_fewer_than_three_comments_are_left_to_the_other_rules():
    header = "<strong>Reader {n}</strong> on <a href='#c{n}'>May 3, 2018 at 4:47 pm</a> said:"
    page = _page(f"<div>{_STORY * 3}</div>{_thread(header, count=2)}")
    article = extract_article(page, "https://news.example/breakwater")
    assert article.paragraphs[0].startswith("The harbour authority said")


def test_a_field_label_whose_value_is_gone_is_not_the_story_over_a_heading_lead():
    page = _page("<div><span>Last Modified:</span><h2>" + _REPLY + "</h2>" + _STORY + "</div>")
    article = extract_article(page, "https://news.example/breakwater")
    assert article.blocks[0].kind == "heading" and article.blocks[0].items[0].startswith("I have lived on this")


@pytest.mark.parametrize("label", ["Top Rated Comments", "Readers' Comments (718)", "Kommentare", "Comentar",
                                   "12 thoughts on “Breakwater to be finished by winter”", "Leave a Reply"])
def test_a_thread_under_its_own_heading_is_not_the_body_however_its_entries_are_built(label):
    # The writer's name and the time each in a tag of their own: no one element reads as a header.
    entries = "".join(f"<div><div><a href='/members/{n}' rel='nofollow'>Reader {n}</a></div>"
                      f"<div>{n + 2} days ago at 07:52 am</div><div>{_REPLY}</div><div><strong>Rating:</strong> "
                      f"{n} Votes</div></div>" for n in range(6))
    page = _page(f"<div>{_STORY}</div><div><div><h2>{label}</h2><a href='/thread'>(View all)</a>{entries}</div></div>")
    article = extract_article(page, "https://news.example/breakwater")
    assert article.paragraphs[0].startswith("The harbour authority said")
    assert not any("forty years" in p or "Votes" in p for p in article.paragraphs)


def test_a_storys_section_headed_discussion_stays():
    section = "<div><h2>Discussion</h2>" + "".join(f"<p>{_REPLY}</p>" for _ in range(3)) + "</div>"
    article = extract_article(_page(f"<div>{_STORY}{section}</div>"), "https://news.example/breakwater")
    assert any("forty years" in p for p in article.paragraphs)


@pytest.mark.parametrize("header", ["<span>Reader {n}</span><br> <span>Hace {n} minutos</span>",
                                    "<span>Reader {n}</span> <span>{n} hours ago</span>",
                                    "<b>Leser{n}</b> <i>vor einer Stunde</i>",
                                    "<span>Reader {n}</span><br> <span>Hace una hora</span>"])
def test_comments_headed_by_a_name_and_a_time_in_tags_of_their_own_are_not_the_body(header):
    entries = "".join(f"<div><div><p>{header.format(n=n + 2)}</p></div><div><p>{_REPLY}</p></div></div>"
                      for n in range(6))
    article = extract_article(_page(f"<div>{_STORY}</div><div>{entries}</div>"), "https://news.example/breakwater")
    assert article.paragraphs[0].startswith("The harbour authority said")
    assert not any("forty years" in p for p in article.paragraphs)


@pytest.mark.parametrize("label", ["Updated", "Posted", "Actualizado"])
def test_a_live_blog_whose_entries_are_headed_by_a_labelled_time_stays_whole(label):
    entries = "".join(f"<div><div><span>{label}</span> <span>{n} hours ago</span></div><p>Update {n}: {_REPLY}</p>"
                      "</div>" for n in range(1, 7))
    article = extract_article(_page(f"<div>{entries}</div>"), "https://news.example/live")
    assert [p[:9] for p in article.paragraphs if p.startswith("Update")] == [f"Update {n}:" for n in range(1, 7)]

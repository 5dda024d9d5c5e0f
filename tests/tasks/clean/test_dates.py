"""A UTC publication stamp and the local time the page shows its readers:
the story keeps the instant, in the zone its readers saw it in."""

from __future__ import annotations

from datetime import datetime

import pytest

from tasks.clean import extract_article
from tasks.clean.dates import in_local_zone

PROSE = "".join(f"<p>Paragraph {i} of the council story, with enough words, commas, and detail to be prose.</p>"
                for i in range(5))
STAMP = "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"datePublished\": \"%s\"}</script>"


def page(stamp: str, header: str = "", after: str = "") -> str:
    return (f"<html><head><title>Council vote</title>{STAMP % stamp}</head><body><article>"
            f"<header><h1>Council vote</h1>{header}</header><div class='story'>{PROSE}</div>{after}"
            f"</article></body></html>")


def published(html: str) -> str | None:
    return extract_article(html, "https://news.example/council-vote").published


def test_a_utc_stamp_takes_the_zone_of_the_date_line_readers_see():
    # Stored at 01:50 UTC on the 20th; the page shows 5:50 PM on the 19th.
    header = ("<div class='byline'><a href='/people/ana'>Ana Ruiz</a><div class='article-date-published'>"
              "<div class='day'>Nov. 19, 2019</div><div class='hour'>5:50 PM</div></div></div>")
    value = published(page("2019-11-20T01:50:59.403Z", header))
    assert value == "2019-11-19T17:50:59.403-08:00"
    assert datetime.fromisoformat(value) == datetime.fromisoformat("2019-11-20T01:50:59.403+00:00")


def test_a_time_elements_text_gives_its_utc_datetime_a_zone():
    header = "<time datetime='2019-11-19T07:03:25+00:00'>November 18, 2019 11:03 PM</time>"
    assert published(page("2019-11-19T07:03:25+00:00", header)) == "2019-11-18T23:03:25-08:00"


def test_a_zoneless_machine_time_for_the_same_moment_gives_the_zone():
    header = "<time datetime='2019-11-19 20:59:46'>Nov 19</time>"
    assert published(page("2019-11-20T02:59:46Z", header)) == "2019-11-19T20:59:46-06:00"


def test_a_shown_time_with_its_own_zone_is_used_as_shown():
    header = "<span class='timestamp'>Published 19 Nov 2019, 10:30 +0530</span>"
    assert published(page("2019-11-19T05:00:00Z", header)) == "2019-11-19T10:30:00+05:30"


@pytest.mark.parametrize("header, after", [
    # Another story's time, in a related box.
    ("", "<aside class='related-stories'><time datetime='x'>Nov. 19, 2019 5:50 PM</time></aside>"),
    # An update time is not when the story went out.
    ("<span class='date'>Updated Nov. 19, 2019 5:50 PM</span>", ""),
    # A time no whole quarter hour away is another moment.
    ("<span class='date'>Nov. 19, 2019 5:43 PM</span>", ""),
    # More than any zone away.
    ("<span class='date'>Nov. 18, 2019 5:50 AM</span>", ""),
])
def test_times_that_are_not_the_same_moment_leave_the_stamp_alone(header, after):
    assert published(page("2019-11-20T01:50:00Z", header, after)) == "2019-11-20T01:50:00Z"


def test_a_stamp_already_in_a_local_zone_is_kept_as_the_page_gave_it():
    header = "<span class='date'>Nov. 19, 2019 5:50 PM</span>"
    assert published(page("2019-11-20T02:50:00+01:00", header)) == "2019-11-20T02:50:00+01:00"


def test_in_local_zone_reads_only_times_of_day():
    assert in_local_zone("2019-11-20T01:50:00Z", ["Nov. 19, 2019"]) is None
    assert in_local_zone("2019-11-20", ["Nov. 19, 2019 5:50 PM"]) is None
    assert in_local_zone("2019-11-20T01:50:00Z", ["Nov. 19, 2019 5:50 PM"]) == "2019-11-19T17:50:00-08:00"


def test_a_local_time_in_a_meta_tag_gives_the_utc_stamp_its_zone():
    html = page("2019-11-19T01:19:34.819Z").replace(
        "</head>", "<meta name='article_date_original' content='Monday, November 18, 2019, 08:19 PM'>"
                   "<meta name='article_date_updated' content='Tuesday, November 19, 2019, 09:41 AM'></head>")
    assert published(html) == "2019-11-18T20:19:34.819-05:00"


@pytest.mark.parametrize("raw, iso", [
    ("01:38:07 PM IST Nov 20, 2019", "2019-11-20T13:38:07+05:30"),  # a zone of half hours
    ("Nov 20, 2019 01:41 PM HKT", "2019-11-20T13:41:00+08:00"),
])
def test_zone_names_are_read_as_their_offsets(raw, iso):
    assert published(page(raw)) == iso


@pytest.mark.parametrize("text", ["12:55 AM", "Nov 19 5:50 PM", "May 2016", "2016"])
def test_a_time_or_a_day_without_its_year_is_not_a_date(text):
    # dateutil fills what is missing from today: "12:55 AM" would be today.
    from tasks.clean.dates import to_iso
    assert to_iso(text) is None


def test_a_microformat_abbr_gives_its_date_in_its_title():
    html = page("x").replace(STAMP % "x", "").replace(
        "<div class='story'>", "<abbr class='published' itemprop='datePublished' "
                               "title='2016-05-08T00:55:00-07:00'>12:55 AM</abbr><div class='story'>")
    assert published(html) == "2016-05-08T00:55:00-07:00"


def _dated(line: str, lang: str) -> str | None:
    html = (f"<html lang='{lang}'><head><title>Council vote</title></head><body><header><div class='site-date'>"
            f"Wednesday, 20 March 2024</div></header><article><h1>Council vote</h1><div class='meta'>{line}</div>"
            f"<div class='story'>{PROSE}</div></article></body></html>")
    return published(html)


@pytest.mark.parametrize("line, lang, iso", [
    # The printed date line, in the page's language, when no metadata gives the date.
    ("Publicado el 12 de marzo de 2024", "es", "2024-03-12"),
    ("Pubblicato il 12 marzo 2024 alle 10:30", "it", "2024-03-12T10:30:00"),
    ("Publié le 12 mars 2024 à 10h30", "fr", "2024-03-12T10:30:00"),
    ("Veröffentlicht am 12. März 2024, 10:30 Uhr", "de", "2024-03-12T10:30:00"),
    ("Yayınlanma: 12 Mart 2024", "tr", "2024-03-12"),
    ("<span>Published</span> <span>12 March 2024</span>", "en", "2024-03-12"),
    # An update is not the publication; the first publication is.
    ("Updated 14 March 2024, first published 12 March 2024", "en", "2024-03-12"),
    # A North American zone name without its season: the offset the date had.
    ("Published: Tuesday, 5 Mar 2024 | 7:10 AM ET", "en", "2024-03-05T07:10:00-05:00"),
    ("Published: Friday, 5 Jul 2024 | 7:10 AM ET", "en", "2024-07-05T07:10:00-04:00"),
    # Labels in scripts without capitals, the update printed after the publication.
    ("입력 2024.03.12 09:00 수정 2024.03.13 10:00", "ko", "2024-03-12T09:00:00"),
    ("发布时间：2024-03-12 09:00 来源：新华社", "zh", "2024-03-12T09:00:00"),
    ("Diterbitkan 12 Mar 2024, 09:00 WIB", "id", "2024-03-12T09:00:00+07:00"),
])
def test_the_printed_date_line_gives_the_date_in_the_pages_language(line, lang, iso):
    assert _dated(line, lang) == iso


@pytest.mark.parametrize("line, lang, iso", [
    ("令和6年3月12日", "ja", "2024-03-12"),  # the reign's sixth year
    ("令和元年5月1日", "ja", "2019-05-01"),  # its first
    ("民國113年3月12日", "zh-TW", "2024-03-12"),  # the Republic's 113th
    ("12 มีนาคม 2567", "th", "2024-03-12"),  # the Buddhist era's 2567th
    ("12 มี.ค. 2567 09:00 น.", "th", "2024-03-12T09:00:00"),  # "มี.ค." is March, not January
    ("12 มีนาคม 2024", "th", "2024-03-12"),  # a Thai page counting from the common era
])
def test_a_year_counted_from_another_era_is_read_in_the_common_era(line, lang, iso):
    from tasks.clean.datelines import read_date_line

    assert read_date_line(line, lang) == iso


@pytest.mark.parametrize("line, lang, iso", [
    # Numeric dates: day first in British, Indian or Australian English, month first in American.
    ("Published 12/03/2024", "en-GB", "2024-03-12"),
    ("Published: 12.03.2024 10:30", "en-IN", "2024-03-12T10:30:00"),
    ("Published 3/12/2024 10:30 AM", "en-US", "2024-03-12T10:30:00"),
    # "12.03" of a date is no time of day: a day only stays a day.
    ("Veröffentlicht 12.03.2024", "de-DE", "2024-03-12"),
    ("Veröffentlicht am 12.03.2024, 10.30 Uhr", "de", "2024-03-12T10:30:00"),
])
def test_a_numeric_date_line_is_read_in_the_order_of_the_pages_language(line, lang, iso):
    from tasks.clean.datelines import read_date_line

    assert read_date_line(line, lang) == iso


def test_posted_by_a_writer_then_the_date_is_a_date_line():
    assert _dated("Posted by Ann Lee on March 3, 2019", "en") == "2019-03-03"


def test_a_caption_sentence_that_says_posted_is_not_the_date_line():
    # The story's date is not on the page; a photo's caption telling when it was posted is not it.
    caption = "Photos by the mayor's aide, posted while in Lisbon on January 20, 2017"
    html = (f"<html lang='en'><head><title>Council vote</title></head><body><article><h1>Council vote</h1>"
            f"<figure><img src='/a.jpg'><figcaption><span>{caption}</span></figcaption></figure>"
            f"<div class='story'>{PROSE}</div></article></body></html>")
    from lxml import html as lxml_html

    from tasks.clean.datelines import date_line

    assert date_line(lxml_html.fromstring(html), "en") is None


def test_an_update_line_alone_is_not_a_publication_date_line():
    from tasks.clean.datelines import read_date_line

    assert read_date_line("Updated 14 March 2024", "en") is None
    assert read_date_line("Publicado el 12 de marzo de 2024", "es") == "2024-03-12"


def _undeclared(header: str, lang: str = "en", headline: str = "Council votes to close the pier",
                url: str = "https://news.example/council-vote") -> str | None:
    # A page that declares no date for machines: only what a reader sees.
    # An older story's date further down: what the page shows first near its headline is the story's.
    older = "<aside><ul><li><a href='/s1'>Pier first closed for repairs</a> <span>3 March 2011</span></li></ul></aside>"
    html = (f"<html lang='{lang}'><head><title>{headline}</title></head><body><article><h1>{headline}</h1>"
            f"{header}<div class='story'>{PROSE}</div></article>{older}</body></html>")
    return extract_article(html, url).published


@pytest.mark.parametrize("header, lang, iso", [
    ("<time>Dec. 6, 2024, 10:00 PM UTC</time>", "en", "2024-12-06T22:00:00+00:00"),
    ("<time>6 décembre 2024</time>", "fr", "2024-12-06"),
    # The datetime is the update's; the text gives the publication first.
    ("<time datetime='2024-12-07T12:43:39Z'>Dec. 6, 2024, 10:00 PM UTC / Updated Dec. 7, 2024, 12:43 PM UTC</time>",
     "en", "2024-12-06T22:00:00+00:00"),
])
def test_a_time_element_without_a_datetime_gives_its_text(header, lang, iso):
    assert _undeclared(header, lang) == iso


@pytest.mark.parametrize("header, lang, iso", [
    # The date is one part of a meta line: the writer, the reading time, the update beside it.
    ("<p>Von Ana Ruiz | 12.03.2024, 10:30 Uhr | Lesezeit: 4 Min.</p>", "de", "2024-03-12T10:30:00"),
    ("<p>Par Ana Ruiz - Publié le 12 mars 2024 à 10h30 - Lecture 4 min.</p>", "fr", "2024-03-12T10:30:00"),
    ("<p>di Ana Ruiz | 12 marzo 2024 | Tempo di lettura: 4 minuti</p>", "it", "2024-03-12"),
    ("<p>Por Ana Ruiz | 12/03/2024 10h30 · Atualizado há 2 horas</p>", "pt", "2024-03-12T10:30:00"),
    # A dash before the time is no parting: the day keeps its time.
    ("<p>By Ana Ruiz | 12 March 2024 - 10:30</p>", "en-GB", "2024-03-12T10:30:00"),
    ("<p><span>November 18, 2019 at 2:26 PM HST - Updated November 18 at 4:46 PM</span></p>", "en",
     "2019-11-18T14:26:00-10:00"),
])
def test_the_date_in_a_meta_line_of_several_parts_is_the_storys(header, lang, iso):
    assert _undeclared(header, lang) == iso


def test_an_unlabelled_date_between_the_headline_and_the_story_is_the_storys():
    header = "<div><a href='/@ann'>Ann Lee</a><button>Follow</button><span><a href='/p/1'>Oct 15, 2015</a></span></div>"
    assert _undeclared(header) == "2015-10-15"


@pytest.mark.parametrize("header, headline", [
    ("<p>Updated <span>Jul 24, 2018</span></p>", "Council votes to close the pier"),
    # A logo's <h1> over the date the site's header shows.
    ("<span>Jul 24, 2018</span>", "Harbour Daily"),
])
def test_an_update_time_or_a_date_under_a_logo_is_not_the_publication(header, headline):
    assert _undeclared(header, headline=headline, url="https://news.example/2017/12/15/council-vote") == "2017-12-15"


@pytest.mark.parametrize("line, lang, iso", [
    # "09h00" is a time of day, not nine hours before the page was read.
    ("Publicado 12/03/2024 09h00 Atualizado há 2 dias", "pt-BR", "2024-03-12T09:00:00"),
    ("Publicado em 12 de março de 2024, 09h00", "pt", "2024-03-12T09:00:00"),
    # A time alone is no date, nor "2 January 2006" read from its digits.
    ("Posted by Harbour Desk at 12:06 PM", "en", None),
    # A relative time is no date once the page is stored.
    ("Publicado hace 3 horas", "es", None),
    ("Publié il y a 2 jours", "fr", None),
])
def test_a_date_line_is_read_as_written_never_relative_to_today(line, lang, iso):
    from tasks.clean.datelines import read_date_line

    assert read_date_line(line, lang) == iso


def test_a_page_whose_only_date_line_is_relative_has_no_date_rather_than_today():
    html = (f"<html lang='pt'><head><title>Council vote</title></head><body><article><h1>Council vote today</h1>"
            f"<p class='meta'>Publicado há 2 dias</p><div class='story'>{PROSE}</div></article></body></html>")
    assert published(html) is None


@pytest.mark.parametrize("url, day", [
    ("https://news.example/2016/09/23/council-vote", "2016-09-23"),
    ("https://news.example/2024-03/12/c_1130.htm", "2024-03-12"),
    ("https://news.example/news/20160923/council-vote", "2016-09-23"),
    ("https://news.example/council-vote-20160923.html", "2016-09-23"),
    ("https://news.example/p/12345678/council-vote", None),  # an id, not a day
    ("https://news.example/2019/02/30/council-vote", None),  # no such day
    ("https://news.example/story?id=20160923", None),
])
def test_the_day_a_storys_address_names(url, day):
    from tasks.clean.dates import url_date

    assert url_date(url) == day


def test_a_line_without_a_year_never_reaches_dateparser(monkeypatch):
    import dateparser

    from tasks.clean.datelines import read_date_line

    asked = []
    monkeypatch.setattr(dateparser, "parse", lambda text, **kw: asked.append(text))
    assert read_date_line("Posted by Harbour Desk at 12:06 PM", None) is None
    assert read_date_line("Publié mardi à 9h30", "fr") is None
    assert asked == []
    read_date_line("Publié le 12 mars 2024", "fr")
    assert asked == ["12 mars 2024"]

"""Where the story's body ends: posts it embeds stay, lists of other stories go."""

from __future__ import annotations

import pytest

from tasks.clean import extract_article
from tasks.models import body_text

URL = "https://news.example/a"

_STORY = ["Rail fares will rise by almost five per cent in March, the fourth increase above inflation in as many "
          "years, the transport department said on Tuesday, in a statement issued shortly after nine.",
          "Season tickets on the busiest commuter lines will cost more than a thousand pounds a year more than they "
          "did in 2019, passenger groups said, and several unions called the rise a tax on work."]
_TWEET = ("<div class='article-widget'><div class='inner'><blockquote class='twitter-tweet'><p>A fare rise like this "
          "one prices the night shift out of the city</p>— Night Workers Union (@nightunion) "
          "<a href='https://twitter.com/x/status/1'>March 3, 2024</a></blockquote></div></div>")


@pytest.mark.parametrize("json_ld", [False, True])
def test_a_post_the_story_embeds_stays_in_the_body_though_the_json_ld_copy_lacks_it(json_ld):
    ld = ("<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"articleBody\": \""
          + " ".join(_STORY) + "\"}</script>") if json_ld else ""
    page = (f"<html><head><title>Fares rise again</title>{ld}</head><body><article><h1>Fares rise again</h1>"
            f"<p>{_STORY[0]}</p>{_TWEET}<p>{_STORY[1]}</p></article></body></html>")
    article = extract_article(page, URL, second_opinion=False)
    assert [p[:20] for p in article.paragraphs] == ["Rail fares will rise", "A fare rise like thi", "Season tickets on th"]


@pytest.mark.parametrize("label, kept", [("More Great Gazette Stories", False), ("Related coverage", False),
                                         ("Tin liên quan", False), ("Lesen Sie auch", False),
                                         ("What the new fares mean", True)])
def test_the_list_under_a_more_stories_label_goes_with_the_label(label, kept):
    items = ("<ul><li>Ferry crews will strike again, <a href='/s/1'>the union says</a></li>"
             "<li>Night buses return to the <a href='/s/2'>harbour route in May</a></li></ul>")
    page = ("<html><head><title>Fares rise again</title></head><body><article><h1>Fares rise again</h1>"
            f"<p>{_STORY[0]}</p><p>{_STORY[1]}</p><hr><div class='heading-h3'>{label}</div>{items}"
            "</article></body></html>")
    text = body_text(extract_article(page, URL, second_opinion=False).blocks)
    assert any("Ferry crews will strike again" in line for line in text) is kept


_TEASER = ("<div><div><a href='/s{n}'>Ferry strike ends after {n} days</a></div><div>Crews returned to the boats "
           "on Monday after the union and the operator agreed on pay, ending a strike that had cut the islands "
           "off for {n} days, the longest in a generation, officials said.</div></div>")


def _with_teasers(label: str) -> str:
    # No classes anywhere: twelve teasers with blurbs hold more prose than the short story above them.
    teasers = "".join(_TEASER.format(n=n) for n in range(3, 15))
    return ("<html><head><title>Rail fares to rise</title></head><body><div><h1>Rail fares to rise</h1>"
            + "".join(f"<p>{p}</p>" for p in _STORY) + f"</div><div><div>{label}</div>{teasers}</div></body></html>")


@pytest.mark.parametrize("label", ["Recommended for You", "Related coverage", "Most read", "Baca juga", "관련기사",
                                   "Articole similare", "Sur le même sujet", "Berita terkait"])
def test_a_row_of_teasers_under_a_label_of_other_stories_is_not_the_story(label):
    article = extract_article(_with_teasers(label), URL, second_opinion=False)
    assert list(article.paragraphs) == _STORY


# Most such labels are boilerplate lines too, which reading the blocks drops: the cut comes first.
@pytest.mark.parametrize("label", ["Recommended for You", "Related coverage", "Most read", "More stories"])
def test_the_second_opinion_stops_where_a_label_of_other_stories_begins(label):
    # trafilatura reads on into the teasers, as plain paragraphs with no box around them.
    article = extract_article(_with_teasers(label), URL)
    assert list(article.paragraphs) == _STORY and "markup kept" in article.body_source


def test_a_story_after_a_most_read_label_in_the_same_wrapper_is_still_the_story():
    page = ("<html><head><title>Rail fares to rise</title></head><body><div><div>Most read</div><div>"
            "<h1>Rail fares to rise</h1>" + "".join(f"<p>{p}</p>" for p in _STORY) + "</div></div></body></html>")
    assert list(extract_article(page, URL).paragraphs) == _STORY


_RELATED = ("<div><a href='/s{n}'>Ferry strike ends after {n} days</a><p>Crews returned to the boats on Monday after "
            "the union and the operator agreed on pay.</p><p>In \"News\"</p></div>")


def _story_with(box: str) -> str:
    return ("<html><head><title>Rail fares to rise</title></head><body><div><h1>Rail fares to rise</h1>"
            + "".join(f"<p>{p}</p>" for p in _STORY) + box + "</div></body></html>")


@pytest.mark.parametrize("box", [
    # a blog's related posts: a heading over a wrapper of teasers
    "<div><h3><em>Related</em></h3><div>" + "".join(_RELATED.format(n=n) for n in range(3, 6)) + "</div></div>",
    # a label over a list of linked headlines, each with its blurb
    "<div><b>Latest News</b></div><div><ul>" + "".join(
        f"<li><a href='/s{n}'>Ferry strike ends after {n} days</a> <span>Crews returned to the boats on Monday "
        "after the union and the operator agreed on pay...</span></li>" for n in range(3, 6)) + "</ul></div>",
])
def test_other_stories_under_their_label_inside_the_story_container_go_with_it(box):
    assert list(extract_article(_story_with(box), URL, second_opinion=False).paragraphs) == _STORY


@pytest.mark.parametrize("kicker", ["Breaking News", "Latest News"])
def test_a_story_under_a_news_kicker_in_its_own_wrapper_stays(kicker):
    paragraphs = "".join(f"<div>{p}</div>" for p in _STORY * 2)
    page = ("<html><head><title>Rail fares to rise</title></head><body><div><div><div>" + kicker + "</div></div>"
            "<div><h1>Rail fares to rise</h1><div>" + paragraphs + "</div></div></div></body></html>")
    assert list(extract_article(page, URL, second_opinion=False).paragraphs) == _STORY * 2


def test_a_how_to_keeps_its_one_line_steps_and_its_list_of_what_you_need():
    steps = ["Measure the circumference of your cloche and cut the foam about an inch smaller, then soak it in "
             "water until it sinks to the bottom of the bowl, which takes a few minutes.",
             "Insert your plant into the hole.",
             "Pin the moss around the foam with floral pins until none of the foam shows, working from the "
             "bottom up so that the moss overlaps like roof tiles and hides the pins."]

    def step(body: str) -> str:
        return f"<div class='mod step'><div class='step-content'><div class='content'>{body}</div></div></div>"

    page = ("<html><head><title>How to build a terrarium</title></head><body><section><div>"
            "<div class='mod step'><div class='step-content'><div class='content'><h1>How to build a terrarium"
            "</h1></div></div></div>"
            + step("<span>What you'll need:</span><ul><li>Cloche</li><li>Floral foam</li><li>Moss</li></ul>")
            + "".join(step(f"<span>Step {n}</span><p>{text}</p>") for n, text in enumerate(steps, 1))
            + step("<span>Sponsored links</span>") + "</div></section></body></html>")
    article = extract_article(page, URL, second_opinion=False)
    assert list(article.paragraphs) == ["What you'll need:", "Cloche", "Floral foam", "Moss",
                                        "Step 1", steps[0], "Step 2", steps[1], "Step 3", steps[2]]


# A page with no classes at all: every div is built like every other.
_SIDE_COLUMN = ("<div><div>Got a tip? Tell us.</div><div><p>Send your news to the desk at any hour of the day or "
                "night.</p></div><ul>" + "".join(f"<li><a href='/s{n}'>Ferry strike ends after {n} days</a></li>"
                                                for n in range(3, 11)) + "</ul><div>Events</div>"
                "<div><a href='/e1'>Harbour Summit, 12 to 14 September</a></div></div>")


def test_a_side_column_beside_the_storys_wrapper_is_not_the_story_on_a_page_with_no_classes():
    page = ("<html><head><title>Rail fares to rise</title></head><body><div><div><div><h1>Rail fares to rise</h1>"
            "<div>" + "".join(f"<p>{p}</p>" for p in _STORY * 2) + "</div></div>" + _SIDE_COLUMN
            + "</div></div></body></html>")
    assert list(extract_article(page, URL, second_opinion=False).paragraphs) == _STORY * 2


def test_opening_paragraphs_in_divs_of_their_own_stay_on_a_page_with_no_classes():
    opening = ["A new bill would require every ferry operator to publish its timetable a month ahead, the minister "
               "said, after a summer of cancelled sailings.", "The island councils have asked for the rule for years."]
    page = ("<html><head><title>Rail fares to rise</title></head><body><div><h1>Rail fares to rise</h1><div>"
            + "".join(f"<div><p>{p}</p></div>" for p in opening) + "<div><div>"
            + "".join(f"<p>{p}</p>" for p in _STORY * 2) + "</div></div></div>" + _SIDE_COLUMN
            + "</div></body></html>")
    assert list(extract_article(page, URL, second_opinion=False).paragraphs) == opening + _STORY * 2


_PARTS = [[f"Part {part}, paragraph {n}: the ferry crews walked out at nine after talks on pay broke down late last "
           "night, and the company said no boat would sail before noon." for n in range(3)] for part in range(3)]


def _deep(paragraphs: list[str]) -> str:
    return "<section><div><div><div>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</div></div></div></section>"


def test_a_story_in_deeply_wrapped_sections_is_read_whole_on_a_page_with_no_classes():
    # Each part sits four wrappers down; the first holds an author box of links too.
    author = "<aside><a href='/ann-lee'>Ann Lee</a><a href='/ann-lee/rss'>Follow Ann Lee by RSS</a></aside>"
    page = ("<html><head><title>Ferry strike</title></head><body><div><h1>Ferry strike</h1><div>"
            f"<div><div>{author}{_deep(_PARTS[0])}</div></div><div>{_deep(_PARTS[1] * 2)}</div>"
            f"<div>{_deep(_PARTS[2])}</div></div>{_SIDE_COLUMN}</div></body></html>")
    assert list(extract_article(page, URL, second_opinion=False).paragraphs) == _PARTS[0] + _PARTS[1] * 2 + _PARTS[2]


def test_a_grid_column_of_links_far_above_the_story_does_not_join_it():
    story = "".join(f"<p>{p}</p>" for p in _PARTS[0] * 3)
    links = "".join(f"<li><a href='/s{n}'>Ferry strike ends after {n} days, the union says</a></li>" for n in range(9))
    page = ("<html><head><title>Ferry strike</title></head><body><div class='grid'>"
            f"<div class='col'><div><div><div class='text'>{story}</div></div></div></div>"
            f"<div class='col'><p>More on the strike, day by day, from our harbour desk.</p><ul>{links}</ul></div>"
            "</div></body></html>")
    assert list(extract_article(page, URL, second_opinion=False).paragraphs) == _PARTS[0] * 3


_SLIDES = [f"{n}/12 Ferry crews return: the boats sailed again on Monday after a strike of {n} days, the union said."
           for n in range(1, 13)]


@pytest.mark.parametrize("slideshow", [
    "<h2>The week in pictures</h2><ul>" + "".join(f"<li><img src='/p{n}.jpg'>{s}</li>" for n, s in enumerate(_SLIDES))
    + "</ul>",
    "".join(f"<div><img src='/p{n}.jpg'><p>{s}</p></div>" for n, s in enumerate(_SLIDES)),
])
def test_a_slideshows_numbered_captions_in_the_story_are_not_its_text(slideshow):
    page = ("<html><head><title>Rail fares to rise</title></head><body><article><h1>Rail fares to rise</h1>"
            f"<p>{_STORY[0]}</p>{slideshow}<p>{_STORY[1]}</p></article></body></html>")
    text = body_text(extract_article(page, URL, second_opinion=False).blocks)
    assert text[0] == _STORY[0] and text[-1] == _STORY[1] and not any("Ferry crews return" in t for t in text)


@pytest.mark.parametrize("items", [
    ["1/3 cup of flour", "2/3 cup of milk", "1/2 teaspoon of salt", "1/4 cup of sugar"],  # a recipe's amounts
    ["9/11 changed the port's security rules.", "9/11 also closed the harbour for a week.",
     "9/11 is remembered on the quay every September."],
])
def test_fractions_and_dates_at_the_start_of_lines_are_not_slide_counters(items):
    page = ("<html><head><title>Rail fares to rise</title></head><body><article><h1>Rail fares to rise</h1>"
            f"<p>{_STORY[0]}</p><ul>" + "".join(f"<li>{i}</li>" for i in items) + f"</ul><p>{_STORY[1]}</p>"
            "</article></body></html>")
    text = body_text(extract_article(page, URL, second_opinion=False).blocks)
    assert all(item in text for item in items)


def test_a_gallery_page_whose_story_is_its_numbered_captions_keeps_them():
    slides = "".join(f"<div><img src='/p{n}.jpg'><p>{s}</p></div>" for n, s in enumerate(_SLIDES))
    page = ("<html><head><title>The week in pictures</title></head><body><article><h1>The week in pictures</h1>"
            f"{slides}</article></body></html>")
    text = body_text(extract_article(page, URL, second_opinion=False).blocks)
    assert sum("Ferry crews return" in t for t in text) == len(_SLIDES)



def test_a_labelled_row_of_teasers_beside_empty_slots_is_not_the_story():
    # The label in a wrapper of its own; the teasers in one wrapper, with empty ad slots beside it.
    teasers = "".join(f"<div><div><a href='/s{n}'><img src='/t{n}.jpg'></a></div><div><h3>FERRY FURY</h3>"
                      f"<span>Ferry strike ends after {n} days as crews return to the boats</span></div></div>"
                      for n in range(3, 9))
    box = f"<div><div><h3>Most read in world news</h3></div><div>{teasers}</div><div></div><div></div></div>"
    assert list(extract_article(_story_with(box), URL, second_opinion=False).paragraphs) == _STORY


@pytest.mark.parametrize("marks", ["", " class='story-wrap'"])
def test_paragraphs_beside_the_wrapper_of_the_storys_body_open_it(marks):
    opening = ["The roadshow took the adviser to every newsroom in the city, officials said on Tuesday, and to "
               "the offices of the three largest broadcasters.", "They held meetings with the editors of both "
               "papers and with a group from the regional press, who asked for the plan in writing."]
    page = ("<html><head><title>Rail fares to rise</title></head><body><div><div><h1>Rail fares to rise</h1>"
            + "".join(f"<p>{p}</p>" for p in opening) + f"<div{marks}><div>Share</div><div>"
            + "".join(f"<p>{p}</p>" for p in _STORY * 2) + "</div></div></div></div></body></html>")
    assert list(extract_article(page, URL, second_opinion=False).paragraphs) == opening + _STORY * 2


_ALT = ("Ferry crews cheer as the first boat leaves the harbour on Monday after the strike ended. "
        "Photo: Ana Ruiz, Harbour Times / Copyright 2024")


def test_a_gallerys_captions_that_repeat_their_pictures_alt_text_are_not_the_story():
    # No classes: the caption is printed twice beside the picture (short and full), then the credit.
    gallery = (f"<div><ul><li><div><img src='/g1.jpg' alt='{_ALT}'></div>\n<div><div>{_ALT.split(' Photo')[0]}"
               "<a> less</a></div>\n<div>Ferry crews cheer as the first boat leaves the harbour on Monday<a> ... "
               "more</a></div>\n<span>Photo: Ana Ruiz, Harbour Times</span></div></li></ul></div>")
    page = ("<html><head><title>Rail fares to rise</title></head><body><div><h1>Rail fares to rise</h1><div>"
            f"{gallery}<p>{_STORY[0]}</p><p>{_STORY[1]}</p></div></div></body></html>")
    text = body_text(extract_article(page, URL, second_opinion=False).blocks)
    assert text == tuple(_STORY)


def test_a_paragraph_that_shares_some_words_with_a_pictures_alt_text_stays():
    said = ("Ferry crews cheer as the first boat leaves, the union said, but the operator warned that the "
            "timetable would not return to normal before the end of the month.")
    page = ("<html><head><title>Rail fares to rise</title></head><body><article><h1>Rail fares to rise</h1>"
            f"<img src='/g1.jpg' alt='{_ALT}'><p>{_STORY[0]}</p><p>{said}</p><p>{_STORY[1]}</p></article></body></html>")
    assert said in body_text(extract_article(page, URL, second_opinion=False).blocks)


@pytest.mark.parametrize("label", ["STORY HIGHLIGHTS", "Key points", "Das Wichtigste in Kürze"])
def test_the_summary_points_above_the_story_are_not_its_text(label):
    points = ("<div class='box'><div><b>{}</b></div><ul><li>Fares rise by almost five per cent in March</li>"
              "<li>Unions call the rise a tax on work</li></ul></div>").format(label)
    page = ("<html><head><title>Fares rise again</title></head><body><article><h1>Fares rise again</h1>"
            f"{points}<p>{_STORY[0]}</p><p>{_STORY[1]}</p></article></body></html>")
    assert [p[:20] for p in extract_article(page, URL, second_opinion=False).paragraphs] == \
        ["Rail fares will rise", "Season tickets on th"]


def test_a_section_of_the_story_under_a_summary_heading_stays():
    section = f"<section><h2>Key points</h2><p>{_STORY[1]}</p></section>"
    page = ("<html><head><title>Fares rise again</title></head><body><article><h1>Fares rise again</h1>"
            f"<p>{_STORY[0]}</p>{section}</article></body></html>")
    text = body_text(extract_article(page, URL, second_opinion=False).blocks)
    assert any(line.startswith("Season tickets on the busiest") for line in text)

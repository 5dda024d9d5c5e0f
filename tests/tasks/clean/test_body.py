"""The body model and the body failure classes, each on a hand-written page."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.clean import extract_article
from tasks.clean.boilerplate import is_boilerplate_text
from tasks.dedupe import dedupe_article
from tasks.models import body_html, body_text

PAGES = Path(__file__).resolve().parents[3] / "fixtures" / "pages"
URL = "https://news.example/a"


def _extract(name: str, **options):
    return extract_article((PAGES / name).read_bytes(), URL, **options)


def test_lists_tables_and_formulas_inside_the_article_are_kept():
    article = _extract("body-list-table-formula.html", second_opinion=False)
    kinds = [b.kind for b in article.blocks]
    assert kinds == ["paragraph", "paragraph", "paragraph", "list", "list", "table", "paragraph"]
    # The formula stays in its sentence, as the symbols a reader sees.
    assert "the water rises by 1 / 12 of the range" in article.paragraphs[1]
    assert "the wind, which piles water against the coast when it blows onshore;" in article.paragraphs
    assert "Neap tide" in article.paragraphs
    assert "Monday | 06:12 | 4.8 m" in article.paragraphs
    assert "<table><tbody><tr><th>Day</th>" in article.body_html
    assert "<li>the air pressure, since a deep low lets the sea rise a little higher.</li>" in article.body_html


def test_text_and_html_are_derived_from_the_same_blocks():
    article = _extract("body-list-table-formula.html", second_opinion=False)
    assert article.paragraphs == body_text(article.blocks)
    assert article.body_html == body_html(article.blocks)
    assert all(len(b.items) == len(b.html) for b in article.blocks)


def test_a_repeated_list_item_leaves_the_text_and_the_html():
    page = (PAGES / "body-list-table-formula.html").read_text()
    item = "<li>the wind, which piles water against the coast when it blows onshore;</li>"
    article = extract_article(page.replace("</ul>", item + "</ul>", 1), URL, second_opinion=False)
    assert article.body_html.count("piles water") == 2
    result = dedupe_article(article, threshold=0.9)
    assert result.article.body_html.count("piles water") == 1
    assert sum("piles water" in p for p in result.article.paragraphs) == 1
    (removed,) = result.removed
    assert removed.reason == "exact" and "piles water" in removed.text
    assert result.article.paragraphs == body_text(result.article.blocks)


def test_one_line_json_ld_body_is_split_into_paragraphs_and_its_entities_decoded():
    article = _extract("body-jsonld-one-line.html", second_opinion=False)
    assert article.body_source.startswith("json-ld")
    assert len(article.paragraphs) >= 2
    text = "\n".join(article.paragraphs)
    assert "&" not in text
    assert "começam a usar a ponte" in text and "construção custou" in text
    assert not any("Assine" in p for p in article.paragraphs)


def test_br_separated_text_without_paragraphs_is_the_body_and_its_photo_credit_goes():
    article = _extract("body-br-separated-text.html", second_opinion=False)
    assert article.paragraphs[0].startswith("The town council voted on Thursday night")
    assert len(article.paragraphs) == 3
    assert not any(p.startswith("Foto") for p in article.paragraphs)


def test_body_source_says_markup_for_an_ordinary_page():
    assert _extract("body-list-table-formula.html").body_source == "markup"


@pytest.mark.parametrize("line", [
    "Foto: Jan Novak", "Bild: dpa/Ritter", "© Reuters", "(c) Example News", "READ NEXT: The storm that came",
    "Text Size", "Subscribe now to read the full story", "Related news", "Home > News > World",
    "12 Comments", "Join the discussion", "To watch this video, accept the cookies of the third-party content provider.",
    "Illustration by Hana Sato", "Flood water outside the town hall on Monday. | Foto: Reuters",
    "The new bridge seen from the east bank / Photo: Jan Novak", "Photos courtesy of the city archive", "Courtesy G4",
    "Published: Wednesday, 21 Sep 2011 | 4:35 PM ET", "Updated Mon, 4 March 2024 10:02",
    "ATENÇÃO: Comentários com textos ofensivos não serão aprovados pelo moderador.",
    "Comments are moderated and appear after review.",
    "Related Roundup: Rail fares", "Tell us what YOU think...", "What do you think? Let us know in the comments.",
    "Get Rail Monthly delivered through your letterbox every month. 12 issues for £11.99. Click here for more.",
    "Subscribe to The Gazette and stay ahead with more of your favourite writers.", "More Great Gazette Stories",
    # A gallery's controls, read as text where no class marks them.
    "Image 1 of 8", "Image 1 of / 8", "3 / 8", "Back to Gallery", "Caption", "Close", "Hide caption", "Explore further",
    "Citation: Ferry timetable changes (2024, May 2) retrieved 3 May 2024 from https://news.example/2024-05-ferry.html",
    "This document is subject to copyright. Apart from any fair dealing, no part may be reproduced without permission.",
    "[javascript protected email address]", "[email protected]",
    # The comment form's consent text.
    "By submitting this form you agree to The Gazette using your data for the purposes of publishing your comment.",
    "You may revoke this consent at any time, in which case your personal data will be deleted immediately.",
    "Further information on data privacy can be found in our Data Protection Policy.",
    # A date line, with the view and share counts some pages print after it.
    "November 18, 2019", "Apr. 24, 2014, 9:49 AM 286,248 40", "Monday, November 18, 2019 at 10:02 EST",
])
def test_leak_lines_are_boilerplate(line):
    assert is_boilerplate_text(line)


@pytest.mark.parametrize("line", [
    "The price fell from 5 > 4 > 3 over the years, the analyst said in a long sentence about it.",
    "Readers who subscribe get the paper on their doorstep before dawn.",
    "He said the photo was fake, and that the agency had been told so.",
    "Courtesy of a neighbour, the family had a roof over their heads within a week.",
    "Published in 1998, the report was the first to name the risk.",
    "The vote was 12 / 9 in favour, and the photo: a finish nobody had predicted.",
    "Comments that the minister made on Monday were approved for publication by the court.",
    "Related charges were dropped: the court said the evidence was not enough.",
    "The parcels were delivered to your door within a day, the company promised in its advert.",
    "Close to 3,000 people marched on Sunday, the organisers said.",
    "The regulator said your personal data must be deleted when consent is revoked, under the new law.",
    "“We have updated our privacy policy,” the company said in a statement on Monday.",
    "The gallery reopens on Friday after three years of building work, the city said.",
    "March 5, 2019, the day the vote was held.", "June 2020 was the hottest month on record.",
])
def test_story_sentences_are_not_boilerplate(line):
    assert not is_boilerplate_text(line)


def test_a_page_with_prose_but_no_headline_is_not_declined():
    page = ("<html><body><div><p>The river rose two metres overnight, and the ferry stopped running at dawn "
            "while crews checked the landing stages on both banks.</p><p>The ferry company said it hoped to "
            "restart the service by the afternoon if the water fell as forecast.</p></div></body></html>")
    article = extract_article(page, URL, second_opinion=False)
    assert article.headline.startswith("The river rose two metres overnight")
    assert "headline from the body" in article.body_source


def test_a_class_that_says_a_block_has_no_caption_does_not_make_it_a_caption():
    opening = "The bakery on Mill Street will close in May after ninety years, its owners said on Friday."
    page = ("<html><head><title>Bakery to close</title></head><body><article><h1>Bakery to close</h1>"
            f"<div class='list-item item-image no_caption'><h2>{opening}</h2></div>"
            "<div class='list-item'><p>The family that has run it since 1934 said rising rents and the cost of flour "
            "had made the shop impossible to keep, and that no buyer had come forward.</p><p>Regulars queued "
            "round the corner on Saturday morning, many of them buying a last loaf to freeze.</p></div>"
            "<div class='caption'>A queue outside the bakery on Saturday.</div>"
            "</article></body></html>")
    article = extract_article(page, URL, second_opinion=False)
    assert article.paragraphs[0] == opening
    assert "A queue outside the bakery on Saturday." not in article.paragraphs


def test_a_quoted_social_post_in_an_embed_wrapper_is_story_text_and_the_share_bar_is_not():
    page = ("<html><head><title>Slogan mocked</title></head><body><article><h1>Slogan mocked</h1>"
            "<div class='entry-content'><p>The state's new road-safety slogan was mocked online within hours of its "
            "launch, and the transport office said on Tuesday that the reaction was the point.</p>"
            "<div class='social-media-embed'><blockquote class='twitter-tweet'><p>Half a million dollars on four "
            "words, and none of them is about the road.</p>&#8212; A Reader (@areader) <a href='https://x.example/s/1'>"
            "May 2, 2024</a></blockquote></div>"
            "<p>The office said the campaign had been seen by more people in a day than its last one in a year, "
            "and that it would run until the end of the summer.</p>"
            "<div class='social-share'><a href='/s/fb'>Facebook</a> <a href='/s/x'>Share on X</a> "
            "<a href='/s/mail'>Email this story</a></div></div></article></body></html>")
    text = "\n".join(extract_article(page, URL, second_opinion=False).paragraphs)
    assert "Half a million dollars on four words, and none of them is about the road." in text
    assert "Facebook" not in text and "Email this story" not in text


def test_a_grid_of_teaser_cards_inside_the_body_is_left_out():
    card = ("<div class='tile'><a href='/other-{0}'><img src='/t{0}.jpg' alt=''></a><div class='t'>"
            "<a href='/other-{0}'>Another story {0}</a></div><div class='s'>A line of summary about another story, "
            "number {0}, with a few words, commas, and detail.</div></div>")
    page = ("<html><head><title>Orchard harvest</title></head><body><article><h1>Orchard harvest</h1>"
            "<div class='story'><p>The apple harvest in the valley is the best in a decade, growers said on Monday, "
            "after a warm spring and a wet summer.</p><p>Pickers from three counties have been hired, and the "
            "cider press at Hollins Farm will run through the night for the first time since 2011.</p>"
            "<figure class='pic'><a href='/big.jpg'><img src='/pic.jpg' alt=''></a></figure>"
            "<p>Prices at the farm gate are expected to fall by a fifth, which buyers for the big shops welcomed.</p>"
            "<div class='grid'><h2>Elsewhere</h2>" + "".join(card.format(i) for i in range(4)) + "</div>"
            "</div></article></body></html>")
    text = "\n".join(extract_article(page, URL, second_opinion=False).paragraphs)
    assert text.endswith("which buyers for the big shops welcomed.")
    assert "Another story" not in text and "A line of summary" not in text


def test_a_short_box_of_nothing_but_links_is_not_story_text():
    page = ("<html><head><title>Set-top boxes</title></head><body><div class='post'>"
            "<h4>Set-top boxes get a new guide</h4><div class='text'><div class='filed_under'>"
            "<a href='/topics/tv'>Home Entertainment</a>, <a href='/topics/boxes'>Set Tops</a>,</div>"
            "<p>The cable company will send new guide software to its set-top boxes in the autumn, with a full-screen "
            "layout and support for external storage.</p><p>Owners of older boxes will get the update later, the "
            "company said, and it will not cost <a href='/prices'>anything extra</a>.</p></div></div></body></html>")
    text = "\n".join(extract_article(page, URL, second_opinion=False).paragraphs)
    assert "Home Entertainment" not in text and "Set Tops" not in text
    assert "it will not cost anything extra." in text


def test_the_labels_of_a_chart_drawn_in_html_are_not_story_text():
    labels = "".join(f"<div class='label'><p>{t}</p></div>" for t in (
        "Rail fares, average", "£38", "£30", "20", "10", "0", "’19", "’20", "’21", "’22", "’23", "’24"))
    page = ("<html><head><title>Fares rise again</title></head><body><article><h1>Fares rise again</h1>"
            "<p>Rail fares will rise by almost five per cent in March, the fourth increase above inflation in as "
            "many years, the transport department said on Tuesday.</p>"
            f"<div class='graphic'><style>.label{{position:absolute;{'top:1px;' * 200}}}</style>{labels}</div>"
            "<p>Season tickets on the busiest commuter lines will cost more than a thousand pounds a year more than "
            "they did in 2019, passenger groups said.</p></article></body></html>")
    article = extract_article(page, URL, second_opinion=False)
    assert [p[:20] for p in article.paragraphs] == ["Rail fares will rise", "Season tickets on th"]


def test_a_reading_toolbar_and_the_date_line_above_the_story_are_not_story_text():
    page = ("<html><head><title>Fares rise again</title></head><body><div id='column'><h1>Fares rise again</h1>"
            "<div id='story_top'><span class='text_size'><span>text size:</span> <a href='#'>T</a> <a href='#'>T</a>"
            "</span> <span class='published_date'>Tuesday, March 3, 2024, 8:50 PM EST</span></div>"
            "<p>Rail fares will rise by almost five per cent in March, the fourth increase above inflation in as "
            "many years, the transport department said on Tuesday.</p>"
            "<p>Season tickets on the busiest commuter lines will cost more than a thousand pounds a year more than "
            "they did in 2019, passenger groups said.</p></div></body></html>")
    article = extract_article(page, URL, second_opinion=False)
    assert [p[:20] for p in article.paragraphs] == ["Rail fares will rise", "Season tickets on th"]


@pytest.mark.parametrize("kicker, kept", [("Your Money", False), ("Analysis", False), ("Hello.", True)])
def test_a_label_of_a_word_or_three_above_the_story_is_a_kicker(kicker, kept):
    page = ("<html><head><title>Fares rise again</title></head><body><div id='column'>"
            f"<div class='top'><span class='accent'>{kicker}</span></div><h1>Fares rise again</h1>"
            "<p>Rail fares will rise by almost five per cent in March, the fourth increase above inflation in as "
            "many years, the transport department said on Tuesday.</p>"
            "<p>Season tickets on the busiest commuter lines will cost more than a thousand pounds a year more than "
            "they did in 2019, passenger groups said.</p></div></body></html>")
    article = extract_article(page, URL, second_opinion=False)
    assert (article.paragraphs[0] == kicker) is kept, article.paragraphs[0]


def test_a_long_run_of_tag_links_inside_the_story_is_not_story_text():
    tags = ", ".join(f"<a href='/tag/t{i}/' rel='tag'>rail fares and season tickets {i}</a>" for i in range(8))
    page = ("<html><head><title>Fares rise again</title></head><body><article><h1>Fares rise again</h1>"
            "<p>Rail fares will rise by almost five per cent in March, the fourth increase above inflation in as "
            "many years, the transport department said on Tuesday.</p>"
            "<p>Season tickets on the busiest commuter lines will cost more than a thousand pounds a year more than "
            f"they did in 2019, passenger groups said.</p><strong>Tags<br>{tags}</strong></article></body></html>")
    article = extract_article(page, URL, second_opinion=False)
    assert [p[:20] for p in article.paragraphs] == ["Rail fares will rise", "Season tickets on th"]
    assert "rail fares and season tickets 0" in article.tags


def test_a_long_gallery_inside_the_story_is_left_out_even_when_it_outweighs_the_story():
    article = _extract("body-long-gallery-inside.html", second_opinion=False)
    text = "\n".join(article.paragraphs)
    assert article.paragraphs[0].startswith("The harbour ferries will run through the night")
    assert article.paragraphs[-1] == "Night fares will be the same as day fares, and travel cards will be accepted on every crossing."
    assert "steam launch" not in text and "1/8" not in text


def test_a_short_story_marked_as_the_body_wins_over_a_longer_rail_of_promos():
    article = _extract("body-short-story-beside-promos.html", second_opinion=False)
    assert list(article.paragraphs) == [
        "The Millbrook school choir took the county cup on Saturday, singing three songs by local composers"
        " to a full hall in the old corn exchange.",
        "It is the first win for the school in twenty years.",
    ]


def test_a_list_nested_straight_inside_its_list_keeps_its_items():
    steps = "".join(f"<li>Step {i} of the repair, done by the crew before the ferry may sail again.</li>" for i in range(3))
    inner = "<li>Check the hull plates below the waterline.</li><li>Check the rudder bearings and the shaft.</li>"
    body = BODY_PARAS + f"<ol>{steps}<ol>{inner}</ol></ol>"
    article = extract_article(_story(body), URL, second_opinion=False)
    (steps_block,) = [b for b in article.blocks if b.kind == "list"]
    assert steps_block.items[-2:] == ("Check the hull plates below the waterline.",
                                     "Check the rudder bearings and the shaft.")
    assert "<li>Check the rudder bearings and the shaft.</li>" in article.body_html


def test_a_list_of_sentences_with_links_stays_and_a_list_of_links_goes():
    changes = ("<ul><li>Ana has patches up to <a href='/1'>speed up the harbour timetable page</a> and "
               "<a href='/2'>show the tide tables offline</a></li></ul>")
    related = "<ul>" + "".join(f"<li><a href='/s{i}'>Another story about the harbour, number {i}</a></li>"
                               for i in range(4)) + "</ul>"
    article = extract_article(_story(BODY_PARAS + changes + related), URL, second_opinion=False)
    text = "\n".join(article.paragraphs)
    assert "Ana has patches up to speed up the harbour timetable page and show the tide tables offline" in text
    assert "Another story about the harbour" not in text


BODY_PARAS = "".join(f"<p>Paragraph {i} of the story about the harbour ferries, with enough words, commas, "
                     "and detail to count as prose.</p>" for i in range(5))


def _story(body: str) -> str:
    return (f"<html><head><title>Ferries</title></head><body><article><h1>Ferries</h1>"
            f"<div class='article-body'>{body}</div></article></body></html>")


def _sections(count: int, words: str) -> str:
    # Each section built its own way: no two wrappers alike.
    return "".join(f"<section class='s{i}'>{'<div>' * (i + 1)}<h2>Part {i}</h2><p>Part {i} {words}, which the "
                   f"guide explains in a few short sentences of its own.</p>{'</div>' * (i + 1)}</section>"
                   for i in range(count))


def test_a_page_of_short_sections_inside_main_keeps_every_section():
    page = ("<html><head><title>Guide</title></head><body><nav><a href='/'>Home</a></nav><main>"
            f"{_sections(4, 'of the harbour walk passes the old customs house and the fish market')}"
            "</main><footer>Contact us</footer></body></html>")
    article = extract_article(page, URL, second_opinion=False)
    text = "\n".join(article.paragraphs)
    assert all(f"Part {i} of the harbour walk" in text for i in range(4))
    assert "Contact us" not in text


def test_a_full_story_inside_main_does_not_take_the_sections_beside_it():
    story = "".join(f"<p>Paragraph {i} of the story about the harbour ferries, with enough words, commas, "
                    "and detail to count as prose, and a little more to make it long.</p>" for i in range(14))
    page = (f"<html><head><title>Ferries</title></head><body><main><div class='story'>{story}</div>"
            f"{_sections(2, 'of another guide to read next')}</main></body></html>")
    article = extract_article(page, URL, second_opinion=False)
    text = "\n".join(article.paragraphs)
    assert "Paragraph 13 of the story" in text and "another guide" not in text


def test_text_wrapped_over_source_lines_is_one_paragraph_and_only_br_breaks_it():
    text = ("The ferry left the harbour at dawn,\n        carrying the first crews of the season\n"
            "        to the islands, where the work on the piers begins on Monday.")
    body = BODY_PARAS + f"<div>{text}<br>A second line, after the break, with the timetable for the week.</div>"
    article = extract_article(_story(body), URL, second_opinion=False)
    assert ("The ferry left the harbour at dawn, carrying the first crews of the season to the islands, "
            "where the work on the piers begins on Monday.") in article.paragraphs
    assert "A second line, after the break, with the timetable for the week." in article.paragraphs


def test_a_code_sample_of_markup_is_kept():
    code = "<pre><code>&lt;div id=\"tide-table\"&gt;&lt;/div&gt;\n&lt;script src=\"tides.js\"&gt;&lt;/script&gt;</code></pre>"
    article = extract_article(_story(BODY_PARAS + code), URL, second_opinion=False)
    assert any('<div id="tide-table"></div>' in p for p in article.paragraphs)


def test_an_h1_after_the_first_paragraphs_heads_a_section_and_the_one_before_them_does_not():
    body = ("<h1>Ferries</h1>" + BODY_PARAS + "<h1>What the crews say</h1>" + BODY_PARAS.replace("Paragraph", "Part"))
    article = extract_article(_story(body), URL, second_opinion=False)
    headings = [b.items[0] for b in article.blocks if b.kind == "heading"]
    assert headings == ["What the crews say"]
    assert "<h2>What the crews say</h2>" in article.body_html


def test_a_video_player_inside_the_story_leaves_its_controls_and_clip_titles_out():
    player = ("<div class='cnnplayer'><div class='vid-controls'>The priest saving the harbour's old ferries, in a "
              "short film about the boatyard<div>Your video will play in 00:25</div></div></div>")
    article = extract_article(_story(BODY_PARAS + player + BODY_PARAS.replace("Paragraph", "Part")), URL,
                              second_opinion=False)
    text = "\n".join(article.paragraphs)
    assert "Part 4 of the story" in text
    assert "Your video will play" not in text and "priest" not in text


FIGURES = (
    "<html><head><title>Dam repairs</title><meta property='og:image' content='https://news.example/m/dam-wide.jpg'>"
    "</head><body><article><h1>Dam repairs</h1><div class='article-body'>"
    "<figure><img src='/m/dam-wide.jpg' alt='The dam'><figcaption>The dam from the valley floor.</figcaption></figure>"
    "<p>Engineers began repairs on the Holme dam on Monday, two years after cracks were found in its spillway.</p>"
    "<figure><img data-src='/m/crack.jpg' alt='A crack'><figcaption>A crack in the spillway, "
    "<em>photographed in 2022</em>.</figcaption></figure>"
    "<p>The work will lower the reservoir by four metres until the autumn, the water company said.</p>"
    "<figure class='quote'><blockquote><p>We will not take risks with a dam above a town of ten thousand "
    "people, and nobody would want us to.</p></blockquote></figure>"
    "<p>Engineers began repairs on the Holme dam on Monday, two years after cracks were found in its spillway.</p>"
    "</div></article></body></html>")


def test_a_picture_inside_the_story_is_a_figure_block_in_its_html_not_its_text():
    article = extract_article(FIGURES, URL, second_opinion=False)
    assert article.image.url == "https://news.example/m/dam-wide.jpg"
    figures = [b for b in article.blocks if b.kind == "figure"]
    # The lead picture goes with the story once; the other one stays where the story shows it.
    assert len(figures) == 1 and figures[0].items == ("A crack in the spillway, photographed in 2022.",)
    assert ('<figure><img src="https://news.example/m/crack.jpg" alt="A crack"><figcaption>A crack in the '
            'spillway, <em>photographed in 2022</em>.</figcaption></figure>') in article.body_html
    assert "dam-wide" not in article.body_html
    assert not any("spillway," in p for p in article.paragraphs)
    assert article.body_html.index("crack.jpg") < article.body_html.index("lower the reservoir")
    assert article.paragraphs == body_text(article.blocks)


def test_dedupe_removes_a_repeat_across_a_figure_and_keeps_the_figure():
    result = dedupe_article(extract_article(FIGURES, URL, second_opinion=False), threshold=0.9)
    article = result.article
    assert [r.reason for r in result.removed] == ["exact"]
    assert article.paragraphs == (
        "Engineers began repairs on the Holme dam on Monday, two years after cracks were found in its spillway.",
        "The work will lower the reservoir by four metres until the autumn, the water company said.")
    assert [b.kind for b in article.blocks] == ["paragraph", "figure", "paragraph"]
    assert article.body_html.count("<figure>") == 1


def test_a_story_told_in_bullets_wins_over_reader_comments_when_no_class_says_which_is_which():
    bullets = "".join(f"<li>Change {n}: the ferry timetable now adds a later crossing on weekdays, and the "
                      f"council pays for it until spring.</li>" for n in range(12))
    comments = "".join(f"<div><p>Reader {n} wrote on May 2: I take this ferry every night, and the late "
                       f"crossing is welcome, finally.</p></div>" for n in range(6))
    html = (f"<html><head><title>What changes on the ferries</title></head><body><div><div>"
            f"<h1>What changes on the ferries</h1><p>The new timetable starts on Monday.</p><ul>{bullets}</ul>"
            f"</div></div><section><h3>Comments</h3>{comments}</section></body></html>")
    paragraphs = extract_article(html, "https://news.example/a", second_opinion=False).paragraphs
    assert sum("the ferry timetable now adds" in p for p in paragraphs) == 12
    assert not any(p.startswith("Reader") for p in paragraphs)


@pytest.mark.parametrize("line", ["May 2, 2024 Ola Berg", "Ola Berg | 2024-05-02", "2 May 2024 · Ola Berg"])
def test_the_byline_beside_a_date_in_the_body_is_not_a_paragraph(line):
    html = ("<html><head><title>Ferry timetable changes</title><meta name='author' content='Ola Berg'></head><body>"
            f"<article><h1>Ferry timetable changes</h1><p>{line}</p>{BODY_PARAS}</article></body></html>")
    article = extract_article(html, "https://news.example/a", second_opinion=False)
    assert article.byline == "Ola Berg" and line not in article.paragraphs


@pytest.mark.parametrize("lang, authors, line", [
    ("es", "Marta Ruiz, Pablo de León", "Marta Ruiz / Pablo de León Madrid 27 OCT 2012 - 12:14 CET"),
    ("en", "Ola Berg and Kari Lund", "By Ola Berg and Kari Lund NEW YORK, May 2, 2024"),
])
def test_the_writers_with_their_place_and_date_are_not_a_paragraph(lang, authors, line):
    meta = "".join(f"<meta name='author' content='{name}'>" for name in authors.replace(" and ", ", ").split(", "))
    html = (f"<html lang='{lang}'><head><title>Ferry timetable changes</title>{meta}</head><body>"
            f"<article><h1>Ferry timetable changes</h1><p>{line}</p>{BODY_PARAS}</article></body></html>")
    article = extract_article(html, "https://news.example/a", second_opinion=False)
    assert line not in article.paragraphs and article.paragraphs[0].startswith("Paragraph 0")


def test_a_sentence_naming_the_writers_and_a_date_stays_in_the_body():
    sentence = "Ola Berg reported from Bergen on 2 May 2024 that the ferry would run late."
    html = ("<html lang='en'><head><title>Ferry timetable changes</title><meta name='author' content='Ola Berg'>"
            f"</head><body><article><h1>Ferry timetable changes</h1><p>{sentence}</p>{BODY_PARAS}</article></body></html>")
    assert sentence in extract_article(html, "https://news.example/a", second_opinion=False).paragraphs


def test_a_blogs_post_title_printed_again_over_the_post_is_not_a_paragraph():
    html = ("<html><head><title>Harbour Notes: The last ferry of the season</title></head><body><div>"
            "<h1>Harbour Notes</h1><div><div>The last ferry of the season</div>" + BODY_PARAS + "</div></div></body></html>")
    paragraphs = extract_article(html, "https://harbour.example/2024/05/last-ferry.html", second_opinion=False).paragraphs
    assert "The last ferry of the season" not in paragraphs and paragraphs[0].startswith("Paragraph 0")


def test_a_long_data_table_keeps_the_paragraphs_that_introduce_it():
    rows = "".join(f"<tr><td><a href='/f{i}'>Ferry {i}</a></td><td>19{50 + i}</td><td>The ferry number {i} ran the "
                   f"night crossing, with {i} crew, two decks, and a cargo hold for the mail.</td></tr>"
                   for i in range(40))
    page = ("<html><head><title>List of harbour ferries</title></head><body><h1>List of harbour ferries</h1>"
            "<div><p>This list of harbour ferries gives every boat that ran the night crossing, with the year it "
            "entered service and what it carried.</p><p>For the day boats, see the list of day ferries.</p>"
            f"<table><caption>Night ferries</caption><tr><th>Ferry</th><th>Year</th><th>About</th></tr>{rows}"
            "</table></div><div><ul><li><a href='/'>Home</a></li></ul></div></body></html>")
    article = extract_article(page, URL, second_opinion=False)
    assert article.paragraphs[0].startswith("This list of harbour ferries gives every boat")
    assert any("The ferry number 39 ran the night crossing" in p for p in article.paragraphs)


def test_steps_built_alike_but_wrapped_apart_are_one_body():
    # No <article>; each step of a how-to is the same block, each wrapped in spans of its own.
    step = ("<span><span><div class='mod step'><div class='step-content'><div class='content'><span>{}</span>"
            "</div></div></div></span></span>")
    lead = ("<div class='mod step'><div class='step-content'><div class='content lead'>"
            + "".join(f"<p>Opening paragraph {i} of the harbour guide, with enough words, commas, and detail to "
                      f"be prose. {'Moorings fill early in summer, so book ahead, and ask the harbour master. ' * 6}"
                      "</p>" for i in range(3)) + "</div></div></div>")
    steps = "".join(step.format(f"<p>Step {i}: tie the line, with a bowline, twice, and check the knot holds fast "
                                f"before the tide turns.</p>") for i in range(5))
    page = (f"<html><head><title>How to moor a boat</title></head><body><h1>How to moor a boat</h1>"
            f"<div class='page'>{lead}<div class='ad-slot'></div>{steps}</div>"
            "<div class='mod box related'><p>Read next: how to row.</p></div></body></html>")
    paragraphs = extract_article(page, URL, second_opinion=False).paragraphs
    assert paragraphs[0].startswith("Opening paragraph 0")
    assert [p[:6] for p in paragraphs if p.startswith("Step")] == [f"Step {i}" for i in range(5)]


def test_a_wire_caption_in_a_photo_list_leaves_the_text_and_the_html():
    page = (PAGES / "body-list-table-formula.html").read_text()
    caption = ("<li>Ana Ruiz, File - FILE - In this March 2, 2011 file photo, the harbour master waves to the crowd "
               "at the quay. (AP Photo/Ana Ruiz, File)</li>")
    article = extract_article(page.replace("</ul>", caption + "</ul>", 1), URL, second_opinion=False)
    assert "harbour master waves" not in "\n".join(article.paragraphs)
    assert "harbour master waves" not in article.body_html
    assert "the wind, which piles water against the coast when it blows onshore;" in article.paragraphs


def test_the_articles_references_stay_and_a_box_of_related_links_goes():
    refs = "".join(f"<li>^ <a href='/w/Doe{i}'>Doe, Jane</a> ({2010 + i}). <a href='https://journal.example/{i}'>"
                   f"\"Tides of the harbour, part {i}\"</a>. Harbour Review. Retrieved 2 May 2024.</li>" for i in range(6))
    related = "".join(f"<li><a href='/story/{i}'>Another harbour story number {i}</a> with a line</li>"
                      for i in range(6))
    page = ("<html><head><title>Harbour tides</title></head><body><h1>Harbour tides</h1><div>"
            + "".join(f"<p>Paragraph {i} of the tides article, with enough words, commas, and detail to be prose. "
                      f"{'The tide turns twice a day, and the harbour fills and empties with it. ' * 4}</p>"
                      for i in range(6))
            + f"<h2>References</h2><div><ol>{refs}</ol></div><div><ul>{related}</ul></div></div></body></html>")
    text = "\n".join(extract_article(page, URL, second_opinion=False).paragraphs)
    assert "\"Tides of the harbour, part 5\". Harbour Review. Retrieved 2 May 2024." in text
    assert "Another harbour story number" not in text


def test_a_box_of_one_picture_and_a_short_line_is_a_figure_even_with_no_class():
    box = ("<div><div><img src='/img/signing.jpg' alt=''></div><p>Apr. 8: The mayor signs the ferry contract at "
           "the town hall.</p><div>Ola Berg / Harbour Photos</div></div>")
    html = ("<html><head><title>Ferry timetable changes</title></head><body><div><h1>Ferry timetable changes</h1>"
            f"<div>{BODY_PARAS}{box}{BODY_PARAS.replace('Paragraph', 'Section')}</div></div></body></html>")
    article = extract_article(html, URL, second_opinion=False)
    assert not any("mayor signs" in p for p in article.paragraphs) and len(article.paragraphs) == 10
    assert [b.kind for b in article.blocks].index("figure") == 5
    assert ("<figure><img src=\"https://news.example/img/signing.jpg\" alt=\"\"><figcaption>Apr. 8: The mayor "
            "signs the ferry contract at the town hall. Ola Berg / Harbour Photos</figcaption></figure>"
            in article.body_html)


@pytest.mark.parametrize("box", [
    # A step of a how-to: its own figure is marked, the step's text beside it is the story.
    "<div><div><span>Step 2</span><p>Tie the line to the cleat.</p></div><figure><img src='/s2.jpg'>"
    "<figcaption>The cleat</figcaption></figure></div>",
    # A paragraph set beside a picture is still a paragraph when it is long.
    "<div><img src='/s2.jpg'><p>Tie the line to the cleat, twice round and then across, so that the boat "
    "holds fast through the night; the harbour master checks every mooring at dusk, and a line tied wrong is "
    "cast off and retied by the crew, with a fine for the owner, which the council raised this year to a sum "
    "that few owners will want to pay twice in one summer season.</p></div>",
])
def test_text_beside_a_picture_stays_when_it_is_not_a_caption(box):
    html = ("<html><head><title>Mooring guide</title></head><body><div><h1>Mooring guide</h1>"
            f"<div>{BODY_PARAS}{box}</div></div></body></html>")
    article = extract_article(html, URL, second_opinion=False)
    assert any(p.startswith("Tie the line to the cleat") for p in article.paragraphs)


@pytest.mark.parametrize("lang, line", [
    ("en", "First Posted: 08-13-10 05:18 PM | Updated: 08-14-10 12:41 AM"),
    ("en", "Tuesday 15 October 2019"),
    ("fr", "Publié le 12 mars 2024 à 10h30"),
    ("de", "23. März 2017, aktualisiert 23. März 2017, 15:43 Uhr | Quelle: Hafenblatt Online"),
])
def test_the_date_line_above_the_story_is_not_its_first_paragraph(lang, line):
    assert _dated_story(lang, f"<p>{line}</p>" + BODY_PARAS)[0].startswith("Paragraph 0")


def _dated_story(lang: str, story: str) -> tuple[str, ...]:
    html = (f"<html lang='{lang}'><head><title>Ferry timetable changes</title></head><body><div>"
            f"<h1>Ferry timetable changes</h1><div>{story}</div></div></body></html>")
    return extract_article(html, URL, second_opinion=False).paragraphs


@pytest.mark.parametrize("lang, line", [
    ("en", "First Published: Tuesday, November 19, 2019 08:38 AM"),
    ("en", "Last updated: 3 May 2024"),
    ("es", "Publicado el 12 de marzo de 2024, 10:30"),
])
def test_a_labelled_date_line_under_the_story_is_not_its_last_paragraph(lang, line):
    paragraphs = _dated_story(lang, BODY_PARAS + f"<p>{line}</p>")
    assert paragraphs[-1].startswith("Paragraph 4") and line not in paragraphs


def test_a_short_paragraph_that_gives_a_date_in_a_sentence_stays():
    story = "<p>The ferry sails on 12 March 2024.</p>" + BODY_PARAS
    html = ("<html lang='en'><head><title>Ferry timetable changes</title></head><body><div>"
            f"<h1>Ferry timetable changes</h1><div>{story}</div></div></body></html>")
    assert extract_article(html, URL, second_opinion=False).paragraphs[0] == "The ferry sails on 12 March 2024."


def test_the_headline_printed_again_with_other_punctuation_is_not_a_paragraph():
    html = ("<html><head><title>Harbour: Ferry timetable changes in May</title></head><body><div>"
            "<h1>Harbour: Ferry timetable changes in May</h1><div><h2><span>Harbour</span> Ferry timetable changes "
            f"in May</h2>{BODY_PARAS}</div></div></body></html>")
    article = extract_article(html, URL, second_opinion=False)
    assert article.headline == "Harbour: Ferry timetable changes in May"
    assert [b.kind for b in article.blocks] == ["paragraph"] * 5


def test_a_templates_empty_field_labels_over_the_story_are_not_paragraphs():
    html = ("<html><head><title>Ferry timetable changes</title></head><body><div><h1>Ferry timetable changes</h1>"
            f"<div><div>Episode Teaser Image:</div><div>Episode Description:</div>{BODY_PARAS}</div></div></body></html>")
    assert extract_article(html, URL, second_opinion=False).paragraphs[0].startswith("Paragraph 0")


def test_a_label_with_a_colon_over_a_list_introduces_it():
    items = "".join(f"<li>Item {i}: a line of rope, a fender, and the harbour master's number for the night "
                    "crossing.</li>" for i in range(3))
    html = ("<html><head><title>Mooring guide</title></head><body><div><h1>Mooring guide</h1>"
            f"<div><p>What you'll need:</p><ul>{items}</ul>{BODY_PARAS}</div></div></body></html>")
    assert extract_article(html, URL, second_opinion=False).paragraphs[0] == "What you'll need:"


def _review(n: int) -> str:
    return (f"<h3><a href='https://shop.example/game-{n}'>“Game {n}” ($20)</a></h3><p>Game {n} puts you on the "
            f"harbour at night, and the results are terrific: the ferries, the cranes and the lights all move, "
            f"the sound is rich, and the puzzles ask just enough of you to keep you playing well past midnight, "
            f"level {n} after level.</p>")


def test_a_listicles_linked_headings_over_their_sections_are_kept():
    html = ("<html><head><title>The best harbour games</title></head><body><div><h1>The best harbour games</h1>"
            "<div><p>These are the games worth your time this winter, chosen after a month of playing them.</p>"
            + "".join(_review(n) for n in range(4)) + "</div></div></body></html>")
    article = extract_article(html, URL, second_opinion=False)
    assert [p for p in article.paragraphs if p.startswith("“Game")] == [f"“Game {n}” ($20)" for n in range(4)]


def test_a_lone_linked_heading_and_related_posts_under_the_story_are_not_the_story():
    story = BODY_PARAS * 3  # a long story, then a promo heading and three related posts with excerpts
    related = "".join(_review(n).replace("h3", "h4") for n in range(3))
    html = ("<html><head><title>Ferry timetable changes</title></head><body><div><h1>Ferry timetable changes</h1>"
            f"<div>{story[:len(story) // 2]}<h3><a href='/other-story'>Harbour tolls rise again</a></h3>"
            f"{story[len(story) // 2:]}<p>Like this:</p>{related}</div></div></body></html>")
    paragraphs = extract_article(html, URL, second_opinion=False).paragraphs
    assert "Harbour tolls rise again" not in paragraphs and not any(p.startswith("“Game") for p in paragraphs)


def test_a_heading_that_links_to_its_own_anchor_is_a_heading():
    html = ("<html><head><title>Mooring guide</title></head><body><div><h1>Mooring guide</h1><div>"
            f"<h2><a href='#knots'>Knots</a></h2>{BODY_PARAS}<h2><a href='#tides'>Tides</a></h2>{BODY_PARAS}"
            "</div></div></body></html>")
    article = extract_article(html, URL, second_opinion=False)
    assert [b.items[0] for b in article.blocks if b.kind == "heading"] == ["Knots", "Tides"]


def test_a_list_of_notes_with_the_links_they_fixed_is_kept():
    bugs = "".join(f"<li><a href='https://bugs.example/{n}'>Bug {n} – the night ferry's timetable shows the "
                   f"wrong pier</a></li>" for n in range(5))
    notes = ("<ul><li>We have the green light for another round of students working on the timetable next "
             f"semester, and two of us will mentor them.</li><li>In progress:<ul>{bugs}</ul></li></ul>")
    html = ("<html><head><title>This week in the timetable</title></head><body><div><h1>This week in the "
            f"timetable</h1><div>{BODY_PARAS}<h4>Timetable</h4>{notes}{BODY_PARAS}</div></div></body></html>")
    article = extract_article(html, URL, second_opinion=False)
    assert any("Bug 3 – the night ferry's timetable" in p for p in article.paragraphs)
    assert any(p.startswith("We have the green light") for p in article.paragraphs)


def test_a_story_told_in_lines_beside_its_pictures_is_the_story_not_captions():
    boxes = "".join(f"<section><img src='/p{n}.jpg'><p>Part {n}: the night ferry leaves the pier at ten, and the "
                    f"crew checks every mooring line before it goes.</p></section>" for n in range(6))
    html = ("<html><head><title>A night on the ferry</title></head><body><div><h1>A night on the ferry</h1>"
            f"<div><p>The crossing takes an hour.</p>{boxes}</div></div></body></html>")
    paragraphs = extract_article(html, URL, second_opinion=False).paragraphs
    assert [p[:7] for p in paragraphs[1:]] == [f"Part {n}:" for n in range(6)]


def test_a_players_control_labels_are_not_the_story():
    controls = "".join(f"<div><div><span>{label}</span></div></div>" for label in (
        "Mute", "Current Time", "0:00", "/", "Duration Time", "0:00", "Loaded: 0%", "Progress: 0%", "Stream Type",
        "LIVE", "Remaining Time", "-0:00", "Playback Rate", "Chapters", "Captions", "Georgia", "Arial"))
    html = ("<html><head><title>Ferry timetable changes</title></head><body><div><h1>Ferry timetable changes</h1>"
            f"<div><div>{controls}</div><div role='button'>Share</div>{BODY_PARAS}</div></div></body></html>")
    paragraphs = extract_article(html, URL, second_opinion=False).paragraphs
    assert paragraphs[0].startswith("Paragraph 0") and not any(p in ("Mute", "Share", "Georgia") for p in paragraphs)


def test_highlighted_code_of_many_short_tokens_stays():
    tokens = "".join(f"<span>{t}</span>" for t in ("SELECT", "avg", "(", "n", ")", "FROM", "unnest", "(", "array",
                                                   "[", "2", ",", "3", "]", ")", "AS", "n", ";"))
    html = ("<html><head><title>Averages in SQL</title></head><body><div><h1>Averages in SQL</h1>"
            f"<div>{BODY_PARAS}<div><pre>{tokens}</pre></div>{BODY_PARAS}</div></div></body></html>")
    paragraphs = extract_article(html, URL, second_opinion=False).paragraphs
    assert any(p.startswith("SELECT") for p in paragraphs)


def test_a_table_of_short_figures_in_the_story_is_kept_not_taken_for_controls():
    # A dozen one-word cells looked like a player's controls, and a budget's rows vanished.
    rows = [("Category", "2023-24", "2024-25"), ("Salaries", "$41.2M", "$43.0M"), ("Transport", "$6.1M", "$5.4M"),
            ("Facilities", "$18.7M", "$19.3M")]
    table = "<table>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows) + "</table>"
    page = ("<html><head><title>Fares rise again</title></head><body><article><h1>Fares rise again</h1>"
            "<div class='entry-content'><p>Rail fares will rise by almost five per cent in March, the fourth increase "
            f"above inflation in as many years, the transport department said on Tuesday.</p>{table}"
            "<p>Season tickets on the busiest commuter lines will cost more than a thousand pounds a year more than "
            "they did in 2019, passenger groups said.</p></div></article></body></html>")
    tables = [b for b in extract_article(page, URL, second_opinion=False).blocks if b.kind == "table"]
    assert len(tables) == 1 and "Facilities" in tables[0].items[-1] and "$19.3M" in tables[0].items[-1]


@pytest.mark.parametrize("marks", ["view-page font-size17", "sidebar-1"])
def test_a_layout_word_on_the_storys_own_column_does_not_discard_it(marks):
    # "font-size17" sets the story's type size and "sidebar-1" names a column: its paragraphs say it is the story.
    story = ["Rail fares will rise by almost five per cent in March, the fourth increase above inflation in as many "
             "years, the transport department said on Tuesday.",
             "Season tickets on the busiest commuter lines will cost more than a thousand pounds a year more than "
             "they did in 2019, passenger groups said on Tuesday night.",
             "The unions called the rise a tax on work and said they would ask the minister to freeze fares for "
             "another year, as the government did in 2021."]
    page = ("<html><head><title>Fares rise again</title></head><body><h1>Fares rise again</h1>"
            f"<div class='{marks}'>" + "".join(f"<p>{p}</p>" for p in story) + "</div></body></html>")
    assert list(extract_article(page, URL, second_opinion=False).paragraphs) == story


def test_a_layout_with_a_sidebar_whose_main_column_holds_the_story_does_not_discard_it():
    story = [f"Paragraph {i} of the fares story, with enough words, commas and detail to read as the story's prose."
             for i in range(4)]
    page = ("<html><head><title>Fares rise again</title></head><body><h1>Fares rise again</h1>"
            "<div class='sidebar-layout'><div class='main-col'>" + "".join(f"<p>{p}</p>" for p in story)
            + "</div></div></body></html>")
    assert list(extract_article(page, URL, second_opinion=False).paragraphs) == story
    # A sidebar of widgets, a paragraph in each, is still a sidebar.
    widgets = "".join(f"<div class='widget'><p>{p}</p></div>" for p in story)
    page = ("<html><head><title>Fares rise again</title></head><body><h1>Fares rise again</h1><div>"
            "<p>Rail fares will rise by almost five per cent in March, the fourth increase above inflation in as many "
            f"years, the transport department said on Tuesday.</p><div class='sidebar'>{widgets}</div></div>"
            "</body></html>")
    assert list(extract_article(page, URL, second_opinion=False).paragraphs)[-1].startswith("Rail fares")


@pytest.mark.parametrize("marks", ["comments-enabled article", "no-ads", "share-enabled", "post has-comments",
                                   "with-newsletter story"])
def test_a_class_that_names_what_the_page_turns_on_around_the_story_does_not_discard_it(marks):
    story = [f"Paragraph {i} of the fares story, with enough words, commas and detail to read as the story's prose."
             for i in range(4)]
    page = ("<html><head><title>Fares rise again</title></head><body><h1>Fares rise again</h1>"
            f"<div class='{marks}'>" + "".join(f"<p>{p}</p>" for p in story) + "</div></body></html>")
    assert list(extract_article(page, URL, second_opinion=False).paragraphs) == story


def test_a_text_size_toolbar_is_still_not_story_text():
    page = ("<html><head><title>Fares rise again</title></head><body><h1>Fares rise again</h1><div>"
            "<div class='font-size-controls'><p>Text size</p><p>A</p><p>A</p></div>"
            "<p>Rail fares will rise by almost five per cent in March, the fourth increase above inflation in as many "
            "years, the transport department said on Tuesday.</p></div></body></html>")
    assert list(extract_article(page, URL, second_opinion=False).paragraphs)[0].startswith("Rail fares")


def test_blocks_written_with_nothing_between_them_keep_their_words_apart():
    # A minified page: a browser shows each div on its own line; read as one string they ran together.
    story = ("<p>The ferry company will cut crossings to the island from March, it said on Tuesday, after a year "
             "of losses on the winter timetable.</p><p>Islanders said the cut would leave them without a "
             "crossing on most Sunday evenings, when workers go back to the mainland.</p>")
    page = ("<html><head><title>Ferry cuts</title></head><body><h1>Ferry cuts</h1><article>" + story
            + "<ul><li><div>Crossings cost less</div><div>Ferry times change in March</div></li>"
            "<li><div>Season tickets</div>stay the same</li></ul></article></body></html>")
    article = extract_article(page, URL, second_opinion=False)
    (listed,) = [b for b in article.blocks if b.kind == "list"]
    assert listed.items == ("Crossings cost less Ferry times change in March", "Season tickets stay the same")
    assert "less Ferry" in listed.html[0] and "lessFerry" not in article.body_html


@pytest.mark.parametrize("marks", ["news-detail__content", "article-page__body", "story__text"])
def test_a_body_marked_in_bem_style_is_the_story_over_longer_prose_beside_it(marks):
    story = ["The city will close the old bridge to cars from Monday while engineers repair its cables, the council "
             "said.", "Buses and bicycles may still cross, and a ferry will run every twenty minutes during the works."]
    other = ["Our town was founded in the twelfth century as a market on the river, and its guild houses still line "
             "the square where farmers sold wool and grain to merchants from across the region.",
             "Today it is home to forty thousand people, a university founded in 1870 and a harbour that handles "
             "more than a million tonnes of freight each year, most of it timber and steel.",
             "Visitors come for the cathedral, the museums and the festival each August, when the streets fill with "
             "music and the riverbanks with stalls selling food from every corner of the country."]
    page = ("<html><head><title>Bridge to close</title></head><body><h1>Bridge to close</h1><div class='layout'>"
            f"<div class='{marks}'>" + "".join(f"<p>{p}</p>" for p in story) + "</div>"
            "<div class='town-info'>" + "".join(f"<p>{p}</p>" for p in other) + "</div></div></body></html>")
    assert list(extract_article(page, URL, second_opinion=False).paragraphs) == story


def test_a_bem_list_of_teasers_is_not_a_body_mark():
    from lxml import html

    from tasks.clean.containers import is_marked_body

    box = html.fromstring("<div class='news-list__content'><p>Teaser</p></div>")
    assert not is_marked_body(box)


def test_paragraphs_laid_out_as_block_spans_stay_paragraphs():
    story = ["The ferry company will cut crossings to the island from March, it said on Tuesday, after a year of "
             "losses.", "Islanders said the cut would leave them without a crossing on most Sunday evenings, when "
             "workers go back.", "The council will ask the company to keep the evening crossing at least until the "
             "summer timetable begins."]
    spans = "".join(f"<span style='display: block; margin-bottom: 1em'>{p}</span>" for p in story)
    page = (f"<html><head><title>Ferry cuts</title></head><body><h1>Ferry cuts</h1><div class='text'>{spans}"
            "<span>and an inline span</span> stays in its line.</div></body></html>")
    paragraphs = list(extract_article(page, URL, second_opinion=False).paragraphs)
    assert paragraphs[:3] == story and paragraphs[3:] == ["and an inline span stays in its line."]


def _live_entry(n: int, heading: str) -> str:
    return (f"<article><time datetime='2026-03-0{n}T09:{n}0'>09:{n}0</time>{heading}"
            f"<p>At the harbour, entry {n}: the ferry crews walked out at nine after talks on pay broke down late "
            "last night, and the company said no boat would sail before noon.</p>"
            f"<p>Union officials said the strike, number {n} this winter, would end once the company put a new "
            "offer in writing; the company said it had already done so.</p></article>")


def test_a_live_blogs_timed_entries_are_the_story_not_teasers():
    entries = "".join(_live_entry(n, f"<h2>Update {n}</h2>") for n in range(1, 6))
    page = ("<html><head><title>Ferry strike: live</title></head><body><h1>Ferry strike: live</h1>"
            f"<main><div class='feed'>{entries}</div></main></body></html>")
    paragraphs = extract_article(page, URL, second_opinion=False).paragraphs
    assert sum("the ferry crews walked out" in p for p in paragraphs) == 5
    assert sum(p.startswith("Union officials said") for p in paragraphs) == 5


def test_timed_articles_under_linked_titles_are_still_teasers():
    story = ("<p>The ferry company will cut crossings to the island from March, it said on Tuesday, after a year of "
             "losses on the winter timetable and a fall in the number of cars carried.</p>"
             "<p>Islanders said the cut would leave them without a crossing on most Sunday evenings, when workers go "
             "back to the mainland for the week, and the council will ask for a review.</p>")
    teasers = "".join(_live_entry(n, f"<h2><a href='/story-{n}'>Other story {n}</a></h2>") for n in range(1, 4))
    page = ("<html><head><title>Ferry cuts</title></head><body><h1>Ferry cuts</h1>"
            f"<main><div class='story'>{story}<div class='more'>{teasers}</div></div></main></body></html>")
    paragraphs = extract_article(page, URL, second_opinion=False).paragraphs
    assert paragraphs[0].startswith("The ferry company") and len(paragraphs) == 2


def test_a_slider_of_captioned_pictures_in_the_story_gives_figures_not_a_list():
    caption = ("The new ferry terminal seen from the harbour wall, with the two berths that open in May and the "
               "covered walkway to the station. Credit: Harbour Board")
    slides = "".join(f"<li data-src='/slide-{n}.jpg'><figure><img src='/slide-{n}.jpg' alt='Terminal'>"
                     f"<figcaption>{caption} ({n})</figcaption></figure></li>" for n in range(2))
    page = ("<html><head><title>Ferry timetable changes</title></head><body><div><h1>Ferry timetable changes</h1>"
            f"<div>{BODY_PARAS}<ul>{slides}</ul>{BODY_PARAS.replace('Paragraph', 'Part')}</div></div></body></html>")
    article = extract_article(page, URL, second_opinion=False)
    assert not any("ferry terminal seen" in p for p in article.paragraphs)
    assert not any(b.kind == "list" for b in article.blocks)
    assert "<figcaption>The new ferry terminal seen" in article.body_html

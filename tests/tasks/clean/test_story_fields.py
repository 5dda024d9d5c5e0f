"""The story's fields, one failure class at a time: headline, byline, dates,
tags, lead image, untitled pages and the record of why each field was chosen.

Three hand-written pages carry most cases (fixtures/pages/meta-*.html); the
rest are small inline pages."""

from __future__ import annotations

from datetime import datetime

import pytest

from cli.local_services import FIXTURES
from cli.main import main as newsroom
from tasks.clean import extract_article
from tasks.clean.names import clean_byline
from tasks.clean.dates import to_iso
from tasks.clean.explain import Candidate, recording
from tasks.clean.headline import strip_site
from tasks.clean.captions import split_credit

SITE_HEADING = ("meta-site-heading-comments", "https://harbornotes.example/2016/09/23/ferry-timetable-night-shift")
JSON_LD_GRAPH = ("meta-jsonld-graph", "https://valleyledger.example/2023/04/orchard-frost")
UNTITLED = ("meta-untitled-topics", "https://millroadnews.example/library-saturdays")
PROSE = "".join(f"<p>Paragraph {i} of the story, with enough words, commas, and detail to count as prose.</p>"
                for i in range(5))


def fixture(page: tuple[str, str]):
    name, url = page
    return extract_article((FIXTURES / "pages" / f"{name}.html").read_bytes(), url)


def explained(page: tuple[str, str]):
    with recording() as choices:
        article = fixture(page)
    return article, choices


def inline(head: str = "", before: str = "", body: str = PROSE, after: str = "", title: str = "A headline"):
    html = (f"<html><head><title>{title}</title>{head}</head><body>{before}<article><h1>{title}</h1>"
            f"<div class='article-body'>{body}</div>{after}</article></body></html>")
    return extract_article(html, "https://news.example/2024/05/01/story")


# ---- headline ----------------------------------------------------------------------------------------------

def test_the_sites_own_h1_is_not_the_headline():
    article, choices = explained(SITE_HEADING)
    assert article.headline == "Ferry timetable leaves night-shift workers stranded"
    assert "About This Site" in [c.value for c in choices["headline"].beaten]


@pytest.mark.parametrize("title, site, expected", [
    ("Ferry strike strands thousands | Harbour Gazette", ["Harbour Gazette"], "Ferry strike strands thousands"),
    ("Valley orchards count the cost - The Valley Ledger", ["The Valley Ledger"], "Valley orchards count the cost"),
    ("Council opens library | Local News", [], "Council opens library"),  # a short label after a bar
    ("短缺药品保供稳价 全力保障临床用药需求-新华网", [], "短缺药品保供稳价 全力保障临床用药需求"),
    ("橋が来月再開へ：港新聞", ["港新聞"], "橋が来月再開へ"),  # a full-width colon, no spaces
    ("速報：橋が来月再開へ", [], "速報：橋が来月再開へ"),  # the same colon inside a headline stays
    ("Trump - the interview", [], "Trump - the interview"),  # a dash inside a headline stays
    ("Ferry strike strands thousands ★ Quay Blog", [], "Ferry strike strands thousands"),  # a star, as a bar
    ("A brief history of harbour lights - HarbourLab", [], "A brief history of harbour lights"),  # a brand's word
    ("A brief history of harbour lights - Quaynotes.com", [], "A brief history of harbour lights"),
    ("Interview - DeSantis", [], "Interview - DeSantis"),  # no headline of its own before the dash
])
def test_a_site_suffix_is_stripped(title, site, expected):
    assert strip_site(title, site, "https://news.example/a") == expected


@pytest.mark.parametrize("title", ["Ferry strike strands thousands - Harbour Times",
                                   "Ferry strike strands thousands — The Harbour Times",
                                   "Ferry strike strands thousands — www.harbourtimes.example"])  # the host itself
def test_a_site_suffix_that_is_the_host_name_written_apart_is_stripped(title):
    # No site name in the metadata: the host runs the site's words together.
    assert strip_site(title, [], "https://www.harbourtimes.example/a") == "Ferry strike strands thousands"
    assert strip_site(title, [], "https://news.example/a") == title


def test_a_kicker_before_the_headline_is_stripped():
    assert fixture(SITE_HEADING).headline.startswith("Ferry timetable")
    assert inline(title="Opinion: The bridge tolls should go").headline == "The bridge tolls should go"


def test_a_title_cut_short_gives_way_to_the_heading_that_holds_all_of_it():
    html = ("<html><head><title>Harbour works</title></head><body><article>"
            "<h1>Harbour works resume after the storm</h1><div class='article-body'>" + PROSE + "</div>"
            "</article></body></html>")
    assert extract_article(html, "https://news.example/a").headline == "Harbour works resume after the storm"


@pytest.mark.parametrize("title, h1, expected", [
    ("Tide tables / winter edition – Quay Street Press", "Tide tables / winter edition", None),
    ("The Harbour Review: Dredging starts at the quay", "Dredging starts at the quay", None),  # harbourreview.example
    ("Dredging starts at the quay ✩ Quay Notes – the harbour workers' weekly blog", "Dredging starts at the quay", None),
    # The title carries the subtitle after the headline's full stop.
    ("Dredging starts at the quay. Why the harbour waited ten years – Ana Ruiz – Quay Notes",
     "Dredging starts at the quay", None),
    # A blog's name as its <h1>, before a longer title: the title is the story's.
    ("Quay Notes: Open tide tables for every small harbour", "Quay Notes", "Open tide tables for every small harbour"),
])
def test_an_h1_with_a_separator_of_its_own_is_the_title_without_its_site_part(title, h1, expected):
    html = (f"<html><head><title>{title}</title></head><body><article><h1>{h1}</h1>"
            f"<div class='article-body'>{PROSE}</div></article></body></html>")
    headline = extract_article(html, "https://www.harbourreview.example/a").headline
    assert headline == h1 if expected is None else expected in headline


def test_a_blogs_name_before_a_colon_goes_when_the_post_title_is_its_own_heading():
    # <title>Blog: Post</title>, the blog's name as the <h1>, the post's title as a heading over the post.
    title = "Quay Notes: Open tide tables for every small harbour"
    html = (f"<html><head><title>{title}</title></head><body><h1>Quay Notes</h1><div class='post'>"
            f"<h3>Open tide tables for every small harbour</h3><div>{PROSE}</div></div></body></html>")
    assert extract_article(html, "https://quaynotes.example/a").headline == "Open tide tables for every small harbour"
    # Without the heading, the colon may be the headline's own ("Brexit: what happens next").
    html = html.replace("<h3>Open tide tables for every small harbour</h3>", "")
    assert extract_article(html, "https://quaynotes.example/a").headline == title


# ---- byline ------------------------------------------------------------------------------------------------

def test_reader_comments_are_not_the_byline():
    byline = fixture(SITE_HEADING).byline
    assert byline == "Ruth Alvarez"  # "By Ruth Alvarez, MA Harbor Health News"; commenters Harold Pike, June Okafor


@pytest.mark.parametrize("raw, expected", [
    ("By Brenda Goodman, MA WebMD Health News", "Brenda Goodman"),
    ("Jane Doe, PhD", "Jane Doe"),
    ("John Roe, Senior Health Reporter", "John Roe"),
    ("By Mia Tran, Chief Medical Officer", "Mia Tran"),
    ("by Steven Musil January 18, 2017 11:00 PM PST @stevenmusil", "Steven Musil"),
    ("By Dana A. Ford, James S.A. Corey, and Tom Watkins, CNN", "Dana A. Ford, James S.A. Corey and Tom Watkins"),
])
def test_job_titles_degrees_and_dates_are_not_names(raw, expected):
    assert clean_byline([raw]) == expected


def test_every_author_is_kept_from_json_ld_references():
    assert fixture(JSON_LD_GRAPH).byline == "Ana Ruiz and Li Wei"


def test_names_run_together_are_split_and_particles_kept():
    assert clean_byline(["Jeremy HerbLauren del ValleKara Scannell"]) == \
        "Jeremy Herb, Lauren del Valle and Kara Scannell"
    assert clean_byline(["By Ann McDonald and Bo DeVito"]) == "Ann McDonald and Bo DeVito"
    assert clean_byline(["LinkNaija"]) == "LinkNaija"  # one name written in camel case
    linked = inline(before="<div class='byline'>By <a href='/a/jh'>Jeremy Herb</a><a href='/a/ks'>Kara Scannell</a></div>")
    assert linked.byline == "Jeremy Herb and Kara Scannell"


def test_a_byline_only_in_meta_author_is_found():
    assert fixture(UNTITLED).byline == "Priya Natarajan"


def test_one_author_in_two_meta_vocabularies_is_one_author_and_repeated_tags_are_co_authors():
    both = inline(head="<meta name='author' content='Priya Natarajan'>"
                       "<meta name='DC.creator' content='P. K. Natarajan'>")
    assert both.byline == "P. K. Natarajan"  # the Dublin Core tag is set on purpose, name=author by default
    repeated = inline(head="<meta property='article:author' content='Priya Natarajan'>"
                           "<meta property='article:author' content='Tom Hale'>")
    assert repeated.byline == "Priya Natarajan and Tom Hale"


def test_the_buttons_in_a_byline_box_are_not_authors():
    story = inline(before="<div id='Byline'><div class='EmailPrint'><a href='/print'>Print</a></div>"
                          "<a href='/user/lpark'><span class='avatar'>Lena Park</span></a></div>")
    assert story.byline == "Lena Park"


def test_co_authors_named_in_plain_text_after_the_linked_author_are_kept():
    story = inline(before="<p>Par <span itemprop='author'><a href='/j/md'>Martin Dubois</a> (avec Claire Roy et "
                          "Paul Petit)</span></p>")
    assert story.byline == "Martin Dubois, Claire Roy and Paul Petit"


def test_a_meta_tag_with_several_properties_counts_for_each():
    story = inline(head="<meta property='dc:creator twitter:creator' content='Priya Natarajan'>")
    assert story.byline == "Priya Natarajan"


def test_a_byline_beside_the_headline_outside_the_article_is_found():
    html = ("<html><head><title>Tide tables change</title></head><body><div class='top'><h1>Tide tables change</h1>"
            "<span class='author-name'>Rosa Lind</span></div><article><div class='article-body'>"
            f"{PROSE}</div></article></body></html>")
    assert extract_article(html, "https://news.example/a").byline == "Rosa Lind"


# ---- dates -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, iso", [
    ("1681804800000", "2023-04-18T08:00:00+00:00"),  # epoch milliseconds
    ("1681804800", "2023-04-18T08:00:00+00:00"),  # epoch seconds
    ("September 23, 2016", "2016-09-23"),  # a day, with no midnight made up for it
    ("2016-09-23 14:05", "2016-09-23T14:05"),  # a local time stays local: no zone added
    ("Fri, 23 Sep 2016 14:05:00 +0200", "2016-09-23T14:05:00+02:00"),  # RFC 822
    ("Fri, 23 Sep 2016 14:05:00 GMT", "2016-09-23T14:05:00+00:00"),
    ("Sun Nov 23 16:00:00 EDT 2014", "2014-11-23T16:00:00-04:00"),
    ("2024-01-02T03:04:05Z", "2024-01-02T03:04:05Z"),  # ISO 8601 already: kept as written
    ("Updated daily by our staff", None),
    ("12345", None),
])
def test_dates_are_read_into_iso_8601(raw, iso):
    assert to_iso(raw) == iso


def test_rfc_822_dates_reach_ninjs_with_their_zone():
    published = inline(head="<meta name='pubdate' content='Fri, 23 Sep 2016 14:05:00 +0200'>").published
    assert datetime.fromisoformat(published).utcoffset() is not None and "T" in published


def test_non_iso_meta_date_is_kept():
    assert fixture(SITE_HEADING).published == "2016-09-23"


def test_json_ld_date_beats_a_meta_tag_that_disagrees_when_the_page_confirms_it():
    article, choices = explained(JSON_LD_GRAPH)
    assert article.published == "2023-04-18T08:00:00+00:00"  # JSON-LD epoch ms; <time> says the 18th
    assert choices["published"].beaten[0].source == "meta article:published_time"


def test_a_meta_date_a_third_source_confirms_beats_json_ld():
    article = inline(head="<meta property='article:published_time' content='2024-05-01T09:00:00+02:00'>"
                          "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", "
                          "\"datePublished\": \"2024-06-30T09:00:00+02:00\"}</script>",
                     before="<time datetime='2024-05-01'>1 May 2024</time>")
    assert article.published == "2024-05-01T09:00:00+02:00"


def test_a_vendors_own_publish_time_meta_tag_is_a_date_source():
    head = ("<meta name='cXenseParse:recs:publishtime' content='2018-06-18T10:01:00+09:00'>"
            "<meta property='article:modified_time' content='2018-06-18T13:57:57Z'>")
    page = f"<html><head><title>Rain</title>{head}</head><body><article><h1>Rain</h1>{PROSE}</article></body></html>"
    assert extract_article(page, "https://news.example/rain").published == "2018-06-18T10:01:00+09:00"


def test_a_bare_year_in_the_text_is_not_a_publication_date():
    body = PROSE + "<p>Paper tickets were sold at the pier kiosk until 2009, and the kiosk is now a cafe.</p>"
    page = f"<html><head><title>Ferries</title></head><body><article><h1>Ferries</h1>{body}</article></body></html>"
    assert extract_article(page, "https://news.example/ferries").published is None
    dated = page.replace("until 2009", "until 1 January 2009")
    assert extract_article(dated, "https://news.example/ferries").published == "2009-01-01"


def test_a_local_time_is_never_labelled_utc():
    assert fixture(UNTITLED).published == "2016-09-23T14:05"


# ---- tags --------------------------------------------------------------------------------------------------

def test_rel_tag_links_in_the_articles_own_footer_are_tags_and_the_sites_are_not():
    tags = fixture(SITE_HEADING).tags
    assert "Night work" in tags and "Ferries" in tags
    assert "Harbor" not in tags  # rel=tag in the page's footer


def test_meta_keywords_junk_is_dropped():
    site = fixture(SITE_HEADING).tags
    assert not any(t.startswith("NLP Entity Tokens") or t.startswith("3f2b8c1e") for t in site)
    assert fixture(JSON_LD_GRAPH).tags == ("Agriculture", "Weather")  # joined copy split; a cut sentence dropped


def test_the_sites_own_name_and_news_itself_are_not_keywords_of_the_story():
    head = ("<meta property='og:site_name' content='The Quay Post'><meta name='keywords' content='Ferries, "
            "Harbour, The Quay Post, News, Breaking News'>")
    with recording() as choices:
        assert inline(head=head).tags == ("Ferries", "Harbour")
    # --explain says why each keyword was left out.
    assert {(c.value, c.source) for c in choices["tags"].beaten} >= {
        ("The Quay Post", "meta keywords (the site's name)"), ("News", "meta keywords (a word for news)"),
        ("Breaking News", "meta keywords (a word for news)")}
    # The host's name written apart: "Quay Post" on quaypost.example.
    ld = ("<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"keywords\": "
          "[\"Ferries\", \"Harbour\", \"Quay Post\"]}</script>")
    html = (f"<html><head><title>A headline</title>{ld}</head><body><article><h1>A headline</h1>"
            f"<div class='article-body'>{PROSE}</div></article></body></html>")
    with recording() as choices:
        assert extract_article(html, "https://www.quaypost.example/story").tags == ("Ferries", "Harbour")
    assert Candidate("Quay Post", "json-ld keywords (the site's name)") in choices["tags"].beaten


def test_a_tag_link_that_is_a_word_for_news_files_every_story_and_is_no_tag():
    links = "".join(f"<a rel='tag' href='/tag/{t.lower().replace(' ', '-')}'>{t}</a>"
                    for t in ("Ferries", "News", "Latest News", "Harbour"))
    with recording() as choices:
        assert inline(after=f"<footer class='tags'>{links}</footer>").tags == ("Ferries", "Harbour")
    assert Candidate("Latest News", "markup rel=tag (a word for news)") in choices["tags"].beaten


@pytest.mark.parametrize("line", ["Tags: Ferries, Harbour, Council", "Schlagwörter: Ferries; Harbour; Council"])
def test_a_labelled_line_of_plain_text_gives_the_storys_tags(line):
    story = inline(after=f"<p class='post-tags'>{line}</p>")
    assert story.tags == ("Ferries", "Harbour", "Council")
    assert line not in story.paragraphs
    # The same line in the site's menu is not this story's.
    assert inline(before=f"<nav><p>{line}</p></nav>").tags == ()


def test_a_sites_search_keywords_are_not_the_storys_tags():
    story = inline(head="<meta name='keywords' content='news, update, breaking, nation, world, sports, "
                        "business, health, science'>")
    assert story.tags == ()


def test_search_keywords_that_name_the_sites_domain_give_way_to_the_storys_tag_links():
    head = ("<meta name='keywords' content='Breaking News, Harbour Times, Infotainment, Breaking Port News, "
            "Port Industry Analysis, Harbourtimes.com, Port Insider'>")
    after = ("<footer><a href='https://harbourtimes.example/tag/dredging/'>Dredging</a> "
             "<a href='https://harbourtimes.example/tag/ferries/'>Ferries</a></footer>")
    assert inline(head=head, after=after).tags == ("Dredging", "Ferries")
    # A short list that names a company's site is the story's.
    assert inline(head="<meta name='keywords' content='Amazon.com, retail'>").tags == ("Amazon.com", "retail")


def test_links_under_a_topics_heading_are_tags():
    assert fixture(UNTITLED).tags == ("Libraries", "Mill Road", "City budget")


@pytest.mark.parametrize("label", ["Теги:", "Темы:", "Tagi:", "Etiketler:", "Topik:", "Từ khóa:", "标签：", "关键词：",
                                   "タグ", "キーワード：", "태그", "주제", "الوسوم:", "תגיות:", "टैग:", "แท็ก:",
                                   "برچسب\u200cها:", "Ετικέτες:", "Štítky:", "Címkék:", "Etichete:", "Taggar:", "Emner:",
                                   "Avainsanat:"])
def test_links_under_a_tags_or_topics_label_in_another_language_are_tags(label):
    links = "".join(f"<a href='/x/{n}'>{t}</a> " for n, t in enumerate(("Ferries", "Harbour", "Council")))
    story = inline(after=f"<div class='meta-bottom'><span>{label}</span> {links}</div>")
    assert story.tags == ("Ferries", "Harbour", "Council")
    assert not any(label.rstrip(":：") in p for p in story.paragraphs)


def test_every_link_a_tags_heading_introduces_is_a_tag_and_the_share_buttons_after_it_are_not():
    listed = inline(after="<div class='bottom'><ul><h4>Tags:</h4><li><a href='/t/1'>Lifeboats</a></li>"
                          "<li><a href='/t/2'>Harbour</a></li><li><a href='/t/3'>Volunteers</a></li></ul>"
                          "<div class='social-share'><a href='#'>Share on Facebook</a></div></div>")
    assert listed.tags == ("Lifeboats", "Harbour", "Volunteers")


def test_the_page_actions_after_the_share_bar_are_not_tags():
    listed = inline(after="<div class='submeta'><span>Topics</span><ul><li><a href='/t/1'>Lifeboats</a></li>"
                          "<li><a href='/t/2'>Harbour</a></li></ul><div class='share-bar'><a href='#'>Share</a></div>"
                          "<div class='reuse'><a href='https://licensing.example/?u=1'>Reuse this content</a></div></div>")
    assert listed.tags == ("Lifeboats", "Harbour")


@pytest.mark.parametrize("label", ["Archivado en:", "Schlagworte:", "Mots-clés :", "Palabras clave", "Etiquetas:"])
def test_a_tag_list_under_a_label_in_another_language_is_the_storys_tags(label):
    listed = inline(after=f"<div class='tags'><div class='box'><h4>{label}</h4><ul>"
                          "<li><a href='/x/sanidad/'>Sanidad pública</a></li><li><a href='/x/espera/'>Listas de espera"
                          "</a></li></ul></div></div>")
    assert listed.tags == ("Sanidad pública", "Listas de espera")


def test_the_sections_a_story_is_filed_under_come_with_its_tag_list():
    story = inline(after="<div class='meta'><h5>Filed under:</h5> <a href='/sections/tv'>Home Entertainment</a></div>"
                         "<div class='post-tags'><a href='/tag/dvr/'>dvr</a>, <a href='/tag/esata/'>esata</a>, "
                         "<a href='/tag/external+storage/'>external storage</a></div>")
    assert story.tags == ("Home Entertainment", "dvr", "esata", "external storage")


def test_the_tags_on_other_stories_cards_are_not_the_storys_tags():
    card = ("<div class='row'><h3><a href='/s/{n}'>Another story, number {n}</a></h3><div class='lede'>A line about"
            " it.</div><em class='tags'><span class='label'>Posted In: </span><a href='/tags/guns'>guns</a>, "
            "<a href='/tags/tech'>Tech</a></em></div>")
    listing = "<div class='more'><h2>More from this episode</h2>" + card.format(n=1) + card.format(n=2) + "</div>"
    assert inline(after=listing).tags == ()


def test_a_menu_link_named_topics_does_not_make_the_menu_the_storys_tags():
    menu = ("<div class='links'><div class='item'><a href='/'>LATEST NEWS</a></div><div class='item'>"
            "<a href='/video/'>VIDEO</a></div><div class='item'><a href='/topics/'>TOPICS</a></div>"
            "<div class='item'><a href='/reviews/'>REVIEWS</a></div></div>")
    assert inline(after=menu).tags == ()


def test_a_bag_of_words_in_meta_keywords_is_not_the_storys_tags():
    words = "lista, espera, agravar, recorte, elevar, demora, operar, paciente, aguardar, entrar, crecer"
    # The words come from the story's own summary: not a site's search keywords, a program's pick.
    summary = "<meta name='description' content='La lista de espera para operar va a crecer con el recorte'>"
    assert inline(head=f"<meta name='keywords' content='{words}'>{summary}").tags == ()


def test_links_to_a_keyword_search_in_a_block_of_their_own_are_tags():
    story = inline(after="<div class='wrap'><dl><dt>People</dt><dd><a href='/s.html?keyword=Ada+Lovelace'>Ada"
                         " Lovelace</a>, <a href='/s.html?keyword=Computing'>Computing</a></dd></dl></div>")
    assert story.tags == ("Ada Lovelace", "Computing")


# ---- lead image --------------------------------------------------------------------------------------------

def test_the_authors_photo_captioned_with_the_byline_is_not_the_lead_image():
    image = fixture(SITE_HEADING).image
    assert "quay-at-night" in image.url and image.caption == "The north quay after the last crossing at 22:40."


def test_a_url_with_a_comma_in_its_path_is_kept_whole():
    assert fixture(SITE_HEADING).image.url == "https://harbornotes.example/uploads/2016/09/w_1280,c_fill/quay-at-night.jpg"


def test_the_visible_figcaption_beats_alt_and_metadata_captions():
    image = inline(head="<meta property='og:image' content='https://news.example/m/north-quay-boats-1200x630.jpg'>"
                        "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"image\": "
                        "{\"url\": \"https://news.example/m/north-quay-boats-1200x630.jpg\", \"caption\": \"quay\"}}</script>",
                   before="<figure><img src='/m/north-quay-boats.png' alt='quay photo'><figcaption>Boats at the north quay on "
                          "Monday.</figcaption></figure>").image
    assert image.caption == "Boats at the north quay on Monday."


@pytest.mark.parametrize("declared, shown, expected", [
    # The figure shows a thumbnail of the declared file: the declared full-size file.
    ("north-quay-boats.jpg", "north-quay-boats-450x253.jpg", "north-quay-boats.jpg"),
    # The figure shows the original and the page declares a social crop: the original.
    ("north-quay-boats-1200x630.jpg", "north-quay-boats.png", "north-quay-boats.png"),
])
def test_the_lead_image_is_the_full_size_file_of_the_picture_the_figure_shows(declared, shown, expected):
    image = inline(head=f"<meta property='og:image' content='https://news.example/m/{declared}'>",
                   body=f"<figure><img src='/m/{shown}'><figcaption>Boats at the north quay on "
                        "Monday.</figcaption></figure>" + PROSE).image
    assert image.url == f"https://news.example/m/{expected}"
    assert image.caption == "Boats at the north quay on Monday."


@pytest.mark.parametrize("figure, credit", [
    ("<figure><img src='/m/a.jpg' alt='x'><figcaption>Boats at dawn. <small>Ines Marsh</small></figcaption></figure>",
     "Ines Marsh"),
    ("<figure><img src='/m/a.jpg' data-credit='Tomas Berg' alt='x'><figcaption>Boats at dawn.</figcaption></figure>",
     "Tomas Berg"),
    ("<figure><img src='/m/a.jpg' alt='x'><figcaption>Boats at dawn. Jane A. Doe/Getty Images</figcaption></figure>",
     "Jane A. Doe/Getty Images"),
])
def test_the_credit_is_found(figure, credit):
    assert inline(body=figure + PROSE).image.credit == credit


@pytest.mark.parametrize("figcaption, caption, credit", [
    # A hidden "Credit" label, with no colon, before the name.
    ("<span>Boats at dawn.</span><span><span class='visually-hidden'>Credit</span><span>Ines Marsh for The Herald"
     "</span></span>", "Boats at dawn.", "Ines Marsh for The Herald"),
    ("<span class='c1'><span class='c2'>Credit</span>Tomas Berg/Getty Images</span>", None, "Tomas Berg/Getty Images"),
    ("Boats at dawn. <span>Foto</span> Ines Marsh", "Boats at dawn.", "Ines Marsh"),
    # A label before a sentence labels the caption, and there is no credit.
    ("<span class='visually-hidden'>Image:</span><span>The ferry leaves the north quay for the last time on Sunday"
     "</span>", "The ferry leaves the north quay for the last time on Sunday", None),
    ("Image: the ferry leaves the north quay for the last time", "the ferry leaves the north quay for the last time",
     None),
])
def test_a_bare_credit_label_marks_the_credit(figcaption, caption, credit):
    image = inline(body=f"<figure><img src='/m/a.jpg' alt=''><figcaption>{figcaption}</figcaption></figure>" + PROSE).image
    assert (image.caption, image.credit) == (caption, credit)


FOLDER = "https://news.example/images/2024/05/01/quay-floods1"


@pytest.mark.parametrize("shown, caption", [
    # The page shows another crop of the declared picture, named otherwise, from the story's own folder.
    ([f"{FOLDER}/merlin_4417-articleLarge.jpg"], "Water over the quay wall on Tuesday."),
    # Two pictures in that folder: which one is declared cannot be told, so the metadata caption stays.
    ([f"{FOLDER}/merlin_4417-articleLarge.jpg", f"{FOLDER}/merlin_5120-articleLarge.jpg"], "quay"),
    # A month's upload folder is no story's folder.
    (["https://news.example/uploads/2024/05/other-picture.jpg"], "quay"),
])
def test_the_declared_picture_is_found_in_its_story_folder(shown, caption):
    declared = f"{FOLDER}/quay-floods1-facebookJumbo.jpg" if "uploads" not in shown[0] else \
        "https://news.example/uploads/2024/05/quay-share.jpg"
    figures = "".join(f"<figure><img src='{url}' alt=''><figcaption>Water over the quay wall on Tuesday."
                      "</figcaption></figure>" for url in shown)
    image = inline(head=f"<meta property='og:image' content='{declared}'><script type='application/ld+json'>"
                        f'{{"@type": "NewsArticle", "image": {{"url": "{declared}", "caption": "quay"}}}}</script>',
                   before=f"<header>{figures}</header>").image
    assert (image.url, image.caption) == (declared, caption)


def test_an_agency_credit_without_a_label_is_split_from_the_caption():
    assert split_credit("The president speaks. (AP Photo/Evan Vucci)") == ("The president speaks.", "AP Photo/Evan Vucci")


@pytest.mark.parametrize("caption, expected", [
    ("다리의 모습. 사진=연합뉴스", ("다리의 모습.", "연합뉴스")),
    ("다리의 모습. /사진=홍길동 기자", ("다리의 모습.", "홍길동")),  # the photographer's role after the name goes
    ("来月再開する旋回橋。 写真：共同", ("来月再開する旋回橋。", "共同")),
    ("来月再開する旋回橋（撮影・山田太郎）", ("来月再開する旋回橋", "山田太郎")),  # full-width brackets
    ("下月重新通车的旋转桥。 图片来源：新华社", ("下月重新通车的旋转桥。", "新华社")),
    ("下月重新通车的旋转桥。（新华社记者 张伟 摄）", ("下月重新通车的旋转桥。", "新华社记者 张伟")),  # "shot", after the name
    ("下月重新通车的旋转桥。 张伟 摄", ("下月重新通车的旋转桥。", "张伟")),
    ("הגשר שייפתח מחדש. צילום: דנה כהן", ("הגשר שייפתח מחדש.", "דנה כהן")),
    ("الجسر الذي سيعاد فتحه. (تصوير: محمد علي)", ("الجسر الذي سيعاد فتحه.", "محمد علي")),
    ("پلی که بازگشایی می‌شود. عکس: علی رضایی", ("پلی که بازگشایی می‌شود.", "علی رضایی")),
    ("Cây cầu sẽ mở lại. Ảnh: Nguyễn Văn An", ("Cây cầu sẽ mở lại.", "Nguyễn Văn An")),
    ("अगले महीने फिर खुलने वाला पुल। फोटो: राम शर्मा", ("अगले महीने फिर खुलने वाला पुल।", "राम शर्मा")),
    ("Yeniden açılacak köprü. Fotoğraf: Ayşe Yılmaz", ("Yeniden açılacak köprü.", "Ayşe Yılmaz")),
    ("Η γέφυρα. Φωτογραφία: Γιώργος Παπαδόπουλος", ("Η γέφυρα.", "Γιώργος Παπαδόπουλος")),
    # A caption that only speaks of photographing keeps its words.
    ("游客在桥上拍摄。", ("游客在桥上拍摄。", None)), ("Η γέφυρα στη φωτογραφία του 1920.", ("Η γέφυρα στη φωτογραφία του 1920.", None)),
])
def test_a_credit_labelled_in_another_script_is_split_from_the_caption(caption, expected):
    assert split_credit(caption) == expected


OG_QUAY = "<meta property='og:image' content='https://news.example/m/quay-declared.jpg'>"


@pytest.mark.parametrize("box", [
    "<div class='video-player'><img src='/m/still-of-the-clip.jpg' alt='A clip from the quay'></div>",
    "<div class='photo-gallery'><figure><img src='/m/gallery-one.jpg'><figcaption>One of twelve pictures from the "
    "regatta.</figcaption></figure></div>",
])
def test_a_video_still_or_a_gallery_picture_gives_way_to_the_declared_picture(box):
    assert inline(head=OG_QUAY, body=box + PROSE).image.url == "https://news.example/m/quay-declared.jpg"


def test_the_picture_of_a_teaser_nested_in_the_story_is_never_its_lead_image():
    teaser = ("<article class='teaser'><figure><img src='/m/other-story.jpg'><figcaption>The other story, about the "
              "bridge.</figcaption></figure><a href='/bridge'>The bridge reopens</a></article>")
    image = inline(body=PROSE + teaser).image
    assert image is None or "other-story" not in image.url


def test_the_articles_own_author_class_does_not_make_its_pictures_decoration():
    page = ("<html><head><title>Quay</title></head><body><article class='node author-jdoe'><h1>Quay</h1>"
            "<div class='field-body'><p><img src='/m/quay-wide.jpg' style='width: 600px; height: 313px;' alt=''></p>"
            f"{PROSE}</div></article></body></html>")
    assert extract_article(page, "https://news.example/q").image.url == "https://news.example/m/quay-wide.jpg"


# ---- declines and provenance -------------------------------------------------------------------------------

def test_an_article_without_h1_or_title_is_produced_with_its_headline_flagged_uncertain():
    article, choices = explained(UNTITLED)
    assert article.headline.startswith("The library board voted on Thursday")
    assert choices["headline"].uncertain
    assert not choices["byline"].uncertain
    # Without --explain too: the article names the fields that are guesses.
    assert article.uncertain == ("headline",)


def test_an_ordinary_article_has_no_uncertain_field():
    assert inline(head="<meta property='article:published_time' content='2024-05-01T09:00:00Z'>").uncertain == ()


def test_extract_explain_prints_each_fields_winner_source_and_what_it_beat(capsys):
    name, url = JSON_LD_GRAPH
    assert newsroom(["extract", "--explain", str(FIXTURES / "pages" / f"{name}.html"), "--url", url]) == 0
    out = capsys.readouterr().out
    assert "byline: Ana Ruiz and Li Wei\n    from json-ld author" in out
    assert "published: 2023-04-18T08:00:00+00:00\n    from json-ld datePublished" in out
    assert "beat meta article:published_time: 2023-04-19T08:00:00Z" in out
    assert "beat meta keywords (a sentence cut into words): the" in out


def test_a_picture_from_the_sites_icon_folder_is_never_the_lead_image():
    icon = "<figure><img src='/images/icons/evileye.png' alt=''><figcaption>Watch</figcaption></figure>"
    photo = "<figure><img src='/m/quay-at-dawn.jpg' alt=''><figcaption>The quay at dawn.</figcaption></figure>"
    assert inline(body=icon + photo + PROSE).image.url == "https://news.example/m/quay-at-dawn.jpg"


def test_a_sites_generic_share_card_gives_way_to_the_storys_picture():
    head = "<meta property='og:image' content='https://news.example/img/2020/share/share.png'>"
    photo = "<figure><img src='/m/quay-at-dawn.jpg' alt=''><figcaption>The quay at dawn.</figcaption></figure>"
    image = inline(head=head, body=PROSE + photo + PROSE).image
    assert image.url == "https://news.example/m/quay-at-dawn.jpg"


def test_a_label_word_inside_the_caption_sentence_labels_nothing():
    figure = "<figure><img src='/m/a.jpg' alt=''><figcaption>The <em>Image</em> show opens.</figcaption></figure>"
    image = inline(body=figure + PROSE).image
    assert (image.caption, image.credit) == ("The Image show opens.", None)


def test_a_japanese_titles_site_after_a_full_width_colon_goes_when_the_h1_shows_the_rest():
    page = ("<html lang='ja'><head><title>橋が来月再開へ：港新聞</title></head><body><article><h1>橋が来月再開へ</h1>"
            f"<div class='article-body'>{PROSE}</div></article></body></html>")
    assert extract_article(page, "https://www.minato.example/news/1").headline == "橋が来月再開へ"

"""Bylines name the people who wrote the story: not the outlet beside them,
a label before them, the date after them, or a control that says "by"."""

from __future__ import annotations

import pytest

from tasks.clean import extract_article
from tasks.clean.names import clean_byline

PROSE = "".join(f"<p>Paragraph {i} of the harbour story, with enough words, commas, and detail to be prose.</p>"
                for i in range(5))


def page_with(body: str) -> str:
    """A page titled "Harbour dredging" around the given body markup."""
    return f"<html><head><title>Harbour dredging</title></head><body>{body}</body></html>"


def byline(head: str = "", header: str = "", after: str = "", url: str = "https://www.harbourtimes.example/story",
           site: str = "Harbour Times") -> str | None:
    page = (f"<html><head><title>Harbour dredging</title><meta property='og:site_name' content='{site}'>{head}"
            f"</head><body><article><header><h1>Harbour dredging</h1>{header}</header>"
            f"<div class='story'>{PROSE}</div>{after}</article></body></html>")
    return extract_article(page, url).byline


@pytest.mark.parametrize("meta, expected", [
    ("Ana Ruiz, Tidewater", "Ana Ruiz"),  # a partner outlet after the writer
    ("Ana Ruiz, CNN Business", "Ana Ruiz"),  # an outlet's initials and a desk
    ("Ana Ruiz, Harbour Times", "Ana Ruiz"),  # the site itself
    ("Ana Ruiz. Tidewater International", "Ana Ruiz"),  # the outlet after a full stop
    ("Analysis by Ana Ruiz, Harbour Editor-at-large", "Ana Ruiz"),
    ("Ana Ruiz, Ben Okafor", "Ana Ruiz and Ben Okafor"),
])
def test_the_outlet_in_a_meta_author_is_not_a_co_author(meta, expected):
    assert byline(head=f"<meta name='author' content='{meta}'>") == expected


def test_the_sites_host_name_is_not_a_co_author():
    head = "<meta name='author' content='Ana Ruiz, Harbourtimes.com'>"
    assert byline(head=head, url="https://www.harbourtimes.com/story", site="The Harbour") == "Ana Ruiz"


@pytest.mark.parametrize("label", ["Text:", "Текст:", "Texto:", "Autor:", "Opinion by", "Commentary by"])
def test_a_label_before_the_name_is_not_part_of_it(label):
    assert byline(header=f"<p class='byline'>{label} Ana Ruiz</p>") == "Ana Ruiz"


def test_a_weekday_and_date_on_the_next_line_of_the_byline_are_not_names():
    header = "<h3 class='byline'>by Ana Ruiz<br><span class='datetime'>Monday, November 18, 2019</span></h3>"
    assert byline(header=header) == "Ana Ruiz"


def test_the_wire_services_name_on_its_own_line_is_not_part_of_the_last_name():
    header = ("<div class='story-byline'><div class='original'>By ANA RUIZ and BEN OKAFOR</div>"
              "<div class='title'>Associated Press</div></div>")
    assert byline(header=header) == "Ana Ruiz and Ben Okafor"


def test_the_outlet_box_beside_the_author_box_is_not_a_name():
    header = ("<div class='byline-section'><div class='attribution'><span class='author'> Ana Ruiz </span>"
              "<span class='publication'> Tidewater Today </span></div>"
              "<div class='publish-date'> Published 11:34 PM EST Nov 19, 2019 </div></div>")
    assert byline(header=header) == "Ana Ruiz"


@pytest.mark.parametrize("control", [
    "<form><div class='form-item-sort-by'><label>Sort by</label><div class='links'><a href='/s'>Relevance</a>"
    "<a href='/s?sort=title'>Title</a><a href='/s?sort=date'>Date</a></div></div></form>",
    "<div class='site-credit'><span class='powered-by-cms'>Powered by <a href='https://cms.example'>"
    "Press Engine VIP</a></span></div>",
])
def test_a_by_in_a_controls_class_is_not_a_byline(control):
    assert byline(after=control) is None


def test_names_with_initials_keep_their_full_stops():
    assert clean_byline(["By Bruce Y. Lee and Troy L. Smith"]) == "Bruce Y. Lee and Troy L. Smith"


def test_a_single_name_alone_is_still_a_byline():
    assert clean_byline(["Madonna"]) == "Madonna"
    assert clean_byline(["Ana Ruiz, Madonna"]) == "Ana Ruiz"


@pytest.mark.parametrize("raw", ["Ana Ruiz (https://anaruiz.example/)", "Ana Ruiz (@anaruiz)", "Ana Ruiz (anaruiz)"])
def test_an_address_or_handle_after_the_name_is_not_part_of_it(raw):
    assert clean_byline([raw]) == "Ana Ruiz"


@pytest.mark.parametrize("header, expected", [
    # No class says "byline": the link to the writer's own page does.
    ("<div><span><a href='/people/ana-ruiz/'>Ana Ruiz</a></span><span>May 2, 2024</span></div>", "Ana Ruiz"),
    ("<div><em>By</em> <a href='/authors/ben-okafor'><span>Ben Okafor</span></a></div>", "Ben Okafor"),
    ("<div><a href='/autor/jose-nunez'>José Núñez</a></div>", "José Núñez"),
    # A topic page, a link that names no one, and a name mentioned in a sentence are no byline.
    ("<div><a href='/topics/people/ana-ruiz.html'>Ana Ruiz</a></div>", None),
    ("<div><a href='/author/ana-ruiz'>View author page</a></div>", None),
    ("<p>The harbour master, <a href='/people/ben-okafor'>Ben Okafor</a>, said the dredging would start in June "
     "and last until the end of the summer season.</p>", None),
])
def test_a_link_to_the_writers_own_page_marks_the_byline(header, expected):
    assert byline(header=header.replace("class=", "data-x=")) == expected


@pytest.mark.parametrize("header, expected", [
    # The writer's social profile beside the name: its handle is no second author.
    ("<div class='byline-box'><span>by Ana Ruiz</span> <a href='https://twitter.com/anaruiz'>@anaruiz</a>"
     " <span>May 2, 2024</span></div>", "Ana Ruiz"),
    # A column's name over the byline, linked to the column's page: the names are after "By".
    ("<div class='extended-byline'><p><a href='/column/harbour-watch'>Harbour Watch</a></p>"
     "<p>By <span>BEN OKAFOR</span></p></div>", "Ben Okafor"),
    # A class run together ("authorname") marks the name as "author-name" does.
    ("<div class='authorinfo'><span class='authorname-txt'><span>Ana Ruiz</span></span>"
     "<time datetime='2024-05-02'>1 day ago</time></div>", "Ana Ruiz"),
    # A "By" line names every writer, linked or not.
    ("<div class='article-byline'>By <span class='byline-name'>Stella Kim</span> and <span class='byline-name'>"
     "<a href='/author/jennifer-jett'>Jennifer Jett</a></span></div>", "Stella Kim and Jennifer Jett"),
    # With another credit in the line, the linked writers only.
    ("<p class='byline'>By <a href='/author/kevin-sack'>KEVIN SACK</a>, <a href='/author/sheri-fink'>SHERI FINK</a>, "
     "<span>Photographs: Ann Lee</span></p>", "Kevin Sack and Sheri Fink"),
    # "by" as one of a utility framework's generated classes is no mark; the writer's page is "/@handle".
    ("<div class='ai by'><h2 class='bn db'>Responses</h2></div><div class='fm n o'><span class='bn b'>"
     "<a href='/@annaruiz?source=post_page'>Anna Ruiz</a></span> <button>Follow</button></div>", "Anna Ruiz"),
])
def test_a_byline_box_gives_its_writer_not_its_handle_or_column(header, expected):
    assert byline(header=header) == expected


def test_an_author_and_a_reporting_credit_are_both_kept():
    assert clean_byline(["Ana Ruiz, Reporting by Ben Okafor"]) == "Ana Ruiz and Ben Okafor"


@pytest.mark.parametrize("header, expected", [
    # "By" before the link to the writer's page, then a long role.
    ("<div><span>By</span> <span><a href='/authors/ana-ruiz'>Ana Ruiz</a></span><span>, a deputy editor who "
     "covers the port, its unions, its dredging contracts and the people who work the night shift there</span></div>",
     "Ana Ruiz"),
    ("<div>By <a href='/bio/ben-okafor'>Ben Okafor</a>, Senior Staff Technologist, Harbour Speech, Privacy, and "
     "Technology Project</div>", "Ben Okafor"),
    # A designer's marks before "By".
    ("<span>// By Ana Ruiz • May 2, 2024</span>", "Ana Ruiz"),
])
def test_an_unmarked_byline_is_found_by_its_by_and_its_link(header, expected):
    assert byline(header=header) == expected


def test_a_layout_that_has_a_sidebar_is_not_the_sidebar():
    page = page_with("<div class='panel-two-col-sidebar-right'><div class='content'><article><h1>Harbour dredging</h1>"
                     "<div class='pane'><div class='blog-author'>By <a href='/bio/ana-ruiz'>Ana Ruiz</a></div></div>"
                     f"{PROSE}</article></div></div>")
    assert extract_article(page, "https://www.harbourtimes.example/story").byline == "Ana Ruiz"


@pytest.mark.parametrize("header, expected", [
    ("<div> By <b>Ana Ruiz</b><br>March 25, 2015</div>", "Ana Ruiz"),
    ("<cite><span>By </span><span>BEN OKAFOR</span> <abbr>March 11, 2015 3:46 PM</abbr></cite>", "Ben Okafor"),
    ("<p>Written by Ana Ruiz<br>Edited by Ben Okafor</p>", "Ana Ruiz"),
    # A sentence that starts with "By" names no one.
    ("<p>By Tuesday, the council had agreed to the plan.</p>", None),
    ("<p>By <b>March</b> the work had stopped.</p>", None),
    # "By" inside the link to the writer's page, the name in a span after it.
    ("<span><a href='/site/authors.aspx?a=ANA-RUIZ'>By<span><span> Ana Ruiz</span></span></a></span>", "Ana Ruiz"),
    ("<span><a href='/story/2'>By<span> the numbers: the port in 2023</span></a></span>", None),
])
def test_an_unmarked_by_line_gives_the_names_on_its_first_line(header, expected):
    assert byline(header=header) == expected


def test_an_unmarked_by_link_is_the_byline_not_the_storys_first_paragraph():
    page = page_with("<div><h1>Harbour dredging</h1><span><a href='/site/authors.aspx?a=ANA-RUIZ'>By<span> Ana Ruiz"
                     "</span></a></span><br><span>Last Modified: <span>11/18/2011 4:06 AM<br></span></span>"
                     f"<div>{PROSE}</div></div>")
    article = extract_article(page, "https://www.harbourtimes.example/story")
    assert article.byline == "Ana Ruiz" and article.paragraphs[0].startswith("Paragraph 0")


@pytest.mark.parametrize("raw, expected", [
    ("Door Jan de Vries en Piet Jansen", "Jan de Vries and Piet Jansen"),
    ("Av Lars Svensson og Kari Nordmann", "Lars Svensson and Kari Nordmann"),
    ("Af Mette Hansen", "Mette Hansen"),
    ("Tekst: Jan Kowalski i Anna Nowak", "Jan Kowalski and Anna Nowak"),
    ("Redakcja: Jan Kowalski", "Jan Kowalski"),
    ("Kirjoittanut Matti Meikäläinen", "Matti Meikäläinen"),
    ("Yazar: Ahmet Yılmaz", "Ahmet Yılmaz"),
    ("Escrito por Juan Pérez", "Juan Pérez"),
    ("Иван Петров и Анна Смирнова", "Иван Петров and Анна Смирнова"),
])
def test_bylines_in_other_languages_lose_their_label_and_keep_every_name(raw, expected):
    assert clean_byline([raw]) == expected


@pytest.mark.parametrize("raw, expected", [
    ("Ana Ruiz - Reuters", "Ana Ruiz"),
    ("Ana Ruiz/AP", "Ana Ruiz"),
    ("Ana Ruiz for The Harbour Times", "Ana Ruiz"),
    ("Organization for Transformative Works", "Organization for Transformative Works"),  # one name
    ("Jean-Pierre Dupont", "Jean-Pierre Dupont"),
])
def test_the_outlet_after_a_dash_a_slash_or_for_is_not_part_of_the_name(raw, expected):
    assert clean_byline([raw]) == expected


@pytest.mark.parametrize("meta", ["Harbour Times Media Group", "Ediciones Harbour Times"])
def test_the_publishers_company_in_meta_author_gives_way_to_the_printed_byline(meta):
    header = "<div class='byline'>By Ana Ruiz</div>"
    assert byline(head=f"<meta name='author' content='{meta}'>", header=header) == "Ana Ruiz"


@pytest.mark.parametrize("meta, expected", [
    ("<meta name='DC.Creator' content='Jong, Michiel de'>", "Michiel de Jong"),
    ("<meta name='citation_author' content='Ruiz, Ana'><meta name='citation_author' content='Okafor, Ben'>",
     "Ana Ruiz and Ben Okafor"),
    ("<meta name='DC.Creator' content='van Dijk, Jan'>", "Jan van Dijk"),
    # Two writers, or two wires, are not one name turned round.
    ("<meta name='DC.Creator' content='Ana Ruiz, Ben Okafor'>", "Ana Ruiz and Ben Okafor"),
])
def test_dublin_core_and_citation_authors_written_last_name_first_are_turned_round(meta, expected):
    assert byline(head=meta) == expected


@pytest.mark.parametrize("raw, expected", [
    ("Par ANNE DURAND, LÉA MARTIN Envoyées spéciales à Lyon", "Anne Durand and Léa Martin"),
    ("Ana Ruiz Senior Harbour Correspondent", "Ana Ruiz"),
    ("Von Jan Becker Redakteur", "Jan Becker"),
    ("Ana Ruiz, Ben Okafor Staff Writer", "Ana Ruiz and Ben Okafor"),
    ("By Ana Ruiz, Harbour Contributor", "Ana Ruiz"),
    # A wire's desk before the title is no second writer.
    ("Ana Ruiz, AP Auto Writer", "Ana Ruiz"),
    # A title after a comma, in lower case as French and Spanish write it, is no second writer.
    ("Par Jean Dupont, envoyé spécial à Lyon", "Jean Dupont"),
    ("Por María López, corresponsal en Bogotá", "María López"),
])
def test_a_title_after_a_name_in_the_same_part_is_not_the_name(raw, expected):
    assert clean_byline([raw]) == expected


def test_the_outlet_named_as_its_host_is_not_a_writer():
    # "USA TODAY" on usatoday.example: the host's name, written as two words.
    assert clean_byline(["Ana Ruiz, HARBOUR TIMES"], {"harbourtimes"}) == "Ana Ruiz"


@pytest.mark.parametrize("raw, expected", [
    ("Posted by Ana Ruiz.", "Ana Ruiz"), ("Martin Luther King Jr.", "Martin Luther King Jr."), ("Ana T.", "Ana T."),
])
def test_a_sentences_stop_after_the_name_goes_and_an_initials_stays(raw, expected):
    assert clean_byline([raw]) == expected


def _side_column(column_class: str) -> str:
    return page_with(f"<div class='article'><div class='article-content'><h1>Harbour dredging</h1>"
                     f"<div class='story'>{PROSE}</div><div class='{column_class}'><div class='box'>"
                     f"<span>The author</span><a rel='author' href='/source/ana-ruiz'>Ana Ruiz</a></div></div></div>"
                     "</div>")


def test_the_author_box_in_the_storys_own_side_column_names_the_writer():
    assert extract_article(_side_column("article-sidebar"), "https://www.harbourtimes.example/s").byline == "Ana Ruiz"


def test_a_related_box_in_the_side_column_names_no_writer():
    assert extract_article(_side_column("related-sidebar"), "https://www.harbourtimes.example/s").byline is None


def test_a_columnists_link_deep_in_the_sites_menu_is_not_the_byline():
    menu = ("<nav>" + "<div>" * 7 + "<ul><li><a href='/news/world'>World</a></li><li><a href='/author/ana-ruiz'>"
            "Ana Ruiz</a></li></ul>" + "</div>" * 7 + "</nav>")
    page = page_with(f"{menu}<div><h1>Harbour dredging</h1><div>{PROSE}</div></div>")
    assert extract_article(page, "https://www.harbourtimes.example/story").byline is None


def test_the_people_thanked_under_the_story_are_not_its_writers():
    after = ("<div class='postMeta-acknowledgments'>Thanks to <a href='https://blog.example/@benokafor'>"
             "Ben Okafor</a>.</div>")
    assert byline(after=after) is None


@pytest.mark.parametrize("line, expected", [
    ("<span class='submitted-by'>Submitted on Mon, 2019-01-21 13:49</span>", None),  # Drupal's date line
    ("<span class='submitted-by'>Submitted by Ana Ruiz on Mon, 2019-01-21 13:49</span>", "Ana Ruiz"),
])
def test_a_submitted_line_names_its_writer_or_no_one(line, expected):
    assert byline(header=line) == expected


@pytest.mark.parametrize("header, expected", [
    # No "By" and no mark: a name and the writer's title between the headline and the story.
    ("<div><span>Ana Ruiz, Political Correspondent</span><time datetime='2021-05-03'>3 May 2021</time></div>",
     "Ana Ruiz"),
    ("<p>Ana Ruiz Senior Harbour Correspondent</p>", "Ana Ruiz"),
    ("<p>Jean Dupont, envoyé spécial à Lyon</p>", "Jean Dupont"),
    # Under a standfirst, as some papers print it.
    ("<p>The harbour will be dredged for the first time in forty years, the board said on Monday.</p>"
     "<p>Ana Ruiz Political correspondent</p>", "Ana Ruiz"),
    # The name and an agency, each in its own tag.
    ("<div><span>Tom Davies</span> <span>Associated Press</span></div>", "Tom Davies"),
    # A picture's credit in the same shape names no writer, nor does a caption.
    ("<p>Ana Ruiz, Staff Photographer</p>", None),
    ("<div><div><img src='/p.jpg'></div><div><div>The quay at dawn</div><div>Al Goldis, Associated Press</div></div>"
     "</div>", None),
    # Under a photo, or marked as a caption, a name and a title is the picture's: "Ana Ruiz, Chief Executive".
    ("<div><img src='/board.jpg'><p>Ana Ruiz, Chief Executive</p></div>", None),
    ("<p class='lead-caption'>Ana Ruiz, Chief Executive</p>", None),
    # The writer's own headshot beside the line does not make it a caption.
    ("<div><img src='/img/ana.jpg' alt='Ana Ruiz'><p>Ana Ruiz, Senior Harbour Correspondent</p></div>", "Ana Ruiz"),
    ("<div><img src='/authors/ana.jpg'><p>Ana Ruiz, Senior Harbour Correspondent</p></div>", "Ana Ruiz"),
    ("<figure><img src='/p.jpg'><figcaption>Ana Ruiz, Harbour Correspondent</figcaption></figure>", None),
    # A name with no title is not enough.
    ("<p>Harbour Board Meeting</p>", None),
])
def test_a_name_and_a_writers_title_under_the_headline_is_the_byline(header, expected):
    assert byline(header=header) == expected


def test_a_name_and_a_title_inside_the_story_is_not_the_byline():
    page = page_with(f"<article><h1>Harbour dredging</h1><div class='story'>{PROSE}"
                     "<p>Ana Ruiz, Harbour Correspondent</p></div></article>")
    assert extract_article(page, "https://news.example/a", second_opinion=False).byline is None


@pytest.mark.parametrize("line, expected", [
    ("Por María López y Juan Pérez", "María López and Juan Pérez"),
    ("Par Jean Dupont et Léa Martin", "Jean Dupont and Léa Martin"),
])
def test_an_unmarked_by_line_joins_its_names_in_the_pages_language(line, expected):
    assert byline(header=f"<p>{line}</p>") == expected


def test_the_byline_with_its_title_in_tags_of_their_own_is_not_a_paragraph_and_a_sentence_about_the_writer_is():
    header = "<div class='byline'><span class='author'>Tom Davies</span> <span>Associated Press</span></div>"
    about = "<p>TOM DAVIES IS THE HERALD'S POLITICAL EDITOR</p>"
    page = page_with(f"<article><h1>Harbour dredging</h1>{header}<div class='story'>{PROSE}{about}</div></article>")
    article = extract_article(page, "https://news.example/a", second_opinion=False)
    assert article.byline == "Tom Davies"
    assert "Tom Davies Associated Press" not in article.paragraphs
    assert article.paragraphs[-1] == "TOM DAVIES IS THE HERALD'S POLITICAL EDITOR"


def _ld(author: str, kind: str, publisher: str) -> str:
    return ("<script type='application/ld+json'>{\"@type\": \"BlogPosting\", \"headline\": \"Harbour dredging\", "
            f"\"author\": {{\"@type\": \"{kind}\", \"name\": \"{author}\"}}, "
            f"\"publisher\": {{\"@type\": \"Organization\", \"name\": \"{publisher}\"}}}}</script>")


@pytest.mark.parametrize("author, kind, publisher, expected", [
    # A person's own site: the publisher bears the writer's name.
    ("Ana Ruiz", "Person", "Ana Ruiz", "Ana Ruiz"),
    # The outlet signing its own story, however it is typed, names no writer.
    ("Harbour Times", "Person", "Harbour Times", None),
    ("Tidewater Ruiz", "Organization", "Tidewater Ruiz", None),
])
def test_a_writer_who_is_also_the_publisher_is_the_byline_only_on_a_persons_own_site(author, kind, publisher, expected):
    assert byline(head=_ld(author, kind, publisher), url="https://www.anaruiz.example/post", site="") == expected


@pytest.mark.parametrize("author", ["admin", "Administrator", "Staff", "Redacción", "Rédaction", "Redaktion",
                                    "Web Desk", "Editor"])
def test_an_author_field_that_names_no_one_gives_no_byline(author):
    assert byline(head=f"<meta name='author' content='{author}'>") is None
    # beside a writer, it goes and the writer stays
    assert clean_byline([f"Ana Ruiz, {author}"]) == "Ana Ruiz"


@pytest.mark.parametrize("line, expected", [
    ("By Ludwig van der Berg", "Ludwig van der Berg"),  # two particles
    ("By Amira bin Laden", "Amira bin Laden"),
    ("Автор: Анна Руис", "Анна Руис"),  # Cyrillic capitals
    ("By Łukasz Żak", "Łukasz Żak"),
    ("By Ana Ruiz ana@harbourtimes.example", "Ana Ruiz"),  # her address, not part of her name
    ("Door Ana Ruiz en Tom Davies", "Ana Ruiz and Tom Davies"),  # "and" in Dutch
    ("Av Ana Ruiz och Tom Davies", "Ana Ruiz and Tom Davies"),
    ("Por Ana Ruiz, da Redação", "Ana Ruiz"),  # "of the newsroom"
])
def test_an_unmarked_by_line_in_any_alphabet_names_its_writers(line, expected):
    article = extract_article(page_with(f"<article><h1>Harbour dredging</h1><p>{line}</p>"
                                        f"<div class='story'>{PROSE}</div></article>"),
                              "https://www.harbourtimes.example/story")
    assert article.byline == expected
    assert not any(line in p for p in article.paragraphs)


def test_a_teasers_by_line_beside_a_story_without_one_signs_nothing():
    teaser = ("<aside class='related'><div class='card'><a href='/other'>Pier shut</a>"
              "<span>By Tom Davies</span></div></aside>")
    page = page_with(f"<h1>Harbour dredging</h1>{PROSE}{teaser}")
    assert extract_article(page, "https://www.harbourtimes.example/story").byline is None


def test_an_organisation_as_json_ld_author_gives_way_to_the_person_the_author_meta_tag_names():
    ld = ("<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"author\": "
          "{\"@type\": \"Organization\", \"name\": \"Tidewater Media\"}}</script>")
    assert byline(head=ld + "<meta name='author' content='Ana Ruiz'>") == "Ana Ruiz"
    # With no person named elsewhere, the organisation still signs.
    assert byline(head=ld) == "Tidewater Media"


def test_the_writers_title_in_a_box_of_its_own_is_not_run_into_the_name():
    header = "<div class='author'>Ana Ruiz<span class='author-role'>Transport Editor</span></div>"
    assert byline(header=header) == "Ana Ruiz"

"""The clean step's individual signals: bylines, dates, tags, captions and
credits, lazy images, and the JSON-LD cross-check of the body."""

from __future__ import annotations

import pytest

from tasks.clean import extract_article
from tasks.dedupe import dedupe_article
from tasks.models import Article
from tasks.clean.captions import clean_credit, split_credit
from tasks.clean.metadata import clean_byline

PARAS = [f"<p>Paragraph {i} of the story, with enough words, commas, and detail to count as prose.</p>"
         for i in range(6)]
BODY = "".join(PARAS)


def page(head: str = "", before: str = "", body: str = BODY, after: str = "") -> str:
    return (f"<html lang='en'><head><meta property='og:title' content='A headline'>{head}</head><body>"
            f"<nav><a href='/'>Home</a></nav>{before}<article><div class='article-body'>{body}</div>"
            f"</article>{after}</body></html>")


def with_line(line: str) -> Article:
    """The story with the line set as a paragraph of its own after its first two (no second opinion)."""
    return extract_article(page(body=BODY.replace("</p>", f"</p><p>{line}</p>", 2)), "https://news.example/a",
                           second_opinion=False)


@pytest.mark.parametrize("raw, expected", [
    (["By Jane Doe, Staff Writer"], "Jane Doe"),
    (["Story by Mia Tran, Science Reporter"], "Mia Tran"),
    (["By JORDAN WELLS | Updated Feb 21"], "Jordan Wells"),
    (["Ana Ruiz and Li Wei, Associated Press"], "Ana Ruiz and Li Wei"),
    (["Jane Doe", "John Roe", "jane doe"], "Jane Doe and John Roe"),
    (["Par Amélie Dubois"], "Amélie Dubois"),
    (["Shaun Walker in Hong Kong and Li Wei in Beijing"], "Shaun Walker and Li Wei"),
    (["https://news.example/author/jane-doe", "Jane Doe"], "Jane Doe"),
    (["Last Updated: January 7, 2025"], None),
    (["Zuletzt aktualisiert: 7. Januar 2025"], None),
    (["Jonathan Last"], "Jonathan Last"),
    (["Print", "Lena Park", "Follow"], "Lena Park"),
    (["Par Martin Dubois (avec Claire Roy et Paul Petit)"], "Martin Dubois, Claire Roy and Paul Petit"),
    (["By Ana Ruiz (with additional reporting by Li Wei)"], "Ana Ruiz"),
    (["Por Ana Ruiz (con la colaboración de Luis Gómez)"], "Ana Ruiz and Luis Gómez"),
    (["Written by Rob Hale Edited by Betsy Moor"], "Rob Hale"),
    (["By Ana Ruiz; photos by Li Wei"], "Ana Ruiz"),
    ([], None),
])
def test_byline_keeps_only_the_names(raw, expected):
    assert clean_byline(raw) == expected


@pytest.mark.parametrize("caption, text, credit", [
    ("Rebels in Aleppo. Photograph: Jane Doe/AP", "Rebels in Aleppo.", "Jane Doe/AP"),
    ("Nurses on a ward. Picture: Daniel Cho", "Nurses on a ward.", "Daniel Cho"),
    ("The terrace on Thursday. © Pierre Lemaire", "The terrace on Thursday.", "Pierre Lemaire"),
    ("Sandbags on Friday. (Herald photo by Ben Ortiz)", "Sandbags on Friday.", "Ben Ortiz"),
    ("A caption with no credit at all.", "A caption with no credit at all.", None),
    # The agency first, as Spanish and Italian papers print it; not a poll's name.
    ("El ferry al amanecer. EFE/Ana Ruiz", "El ferry al amanecer.", "EFE/Ana Ruiz"),
    ("Results of the AP/Ipsos Poll", "Results of the AP/Ipsos Poll", None),
    # "Photo" with no colon before the name.
    ("Le ferry à l'aube. Photo Ana Ruiz / AFP", "Le ferry à l'aube.", "Ana Ruiz / AFP"),
    ("Le ferry à l'aube. Photo Ana Ruiz/Harbour Times", "Le ferry à l'aube.", "Ana Ruiz/Harbour Times"),
    ("A man. Photo shows him at the quay.", "A man. Photo shows him at the quay.", None),
    # Any "Name/Outlet" in brackets after the caption, or after a bar.
    ("The bridge at dawn. (Ellen M. Banner / The Harbour Times)", "The bridge at dawn.",
     "Ellen M. Banner / The Harbour Times"),
    ("The bridge at dawn | Ana Ruiz/Harbour Times", "The bridge at dawn", "Ana Ruiz/Harbour Times"),
    ("Ferries (Harbour/Estuary) on the quay", "Ferries (Harbour/Estuary) on the quay", None),
    # "Photograph by" after a sentence: the sentence's last words are not the credit's.
    ("The bridge at dawn. Photograph by Ana Ruiz/Harbour Times", "The bridge at dawn.", "Ana Ruiz/Harbour Times"),
    ("Sailors on deck. U.S. Navy photo by John Doe", "Sailors on deck.", "John Doe"),
    # Labels in more languages and forms; the label is the credit's, never the caption's.
    ("Le ferry. Crédit photo : Ana Ruiz", "Le ferry.", "Ana Ruiz"),
    ("Le ferry. Photo © Ana Ruiz", "Le ferry.", "Ana Ruiz"),
    ("Die Fähre. Quelle: dpa", "Die Fähre.", "dpa"),
    ("Паром на рассвете. Фото: ТАСС", "Паром на рассвете.", "ТАСС"),
    ("Prom o świcie. Fot. PAP", "Prom o świcie.", "PAP"),
    ("Die Fähre. IMAGO / Ana Ruiz", "Die Fähre.", "IMAGO / Ana Ruiz"),
    ("The ferry. Credit Ana Ruiz for The Harbour Times", "The ferry.", "Ana Ruiz for The Harbour Times"),
    ("The crew was credited. Credit unions helped.", "The crew was credited. Credit unions helped.", None),
])
def test_credit_is_split_from_the_caption(caption, text, credit):
    got_text, got_credit = split_credit(caption)
    assert (got_text, clean_credit(got_credit)) == (text, credit)


@pytest.mark.parametrize("label", ["Photograph: ", "Photo: ", "© ", "Credit: ", "Credit...", "Photo "])
def test_credit_labels_are_stripped(label):
    assert clean_credit(f"{label}Lena Ortiz/Gazette") == "Lena Ortiz/Gazette"


def test_published_is_never_the_modified_time():
    html = page(head="<meta property='article:modified_time' content='2024-05-02T10:00:00+02:00'>",
                before="<time class='updated' datetime='2024-05-02T10:00:00+02:00'>Updated</time>"
                       "<time itemprop='datePublished' datetime='2024-05-01T08:00:00+02:00'>1 May</time>")
    article = extract_article(html, "https://news.example/a")
    assert article.published == "2024-05-01T08:00:00+02:00"
    assert article.modified == "2024-05-02T10:00:00+02:00"


def test_published_keeps_the_time_zone_another_source_gives():
    html = page(head="<meta property='article:published_time' content='2024-03-11T06:45:00'>"
                     "<script type='application/ld+json'>{\"@type\": \"NewsArticle\","
                     " \"datePublished\": \"2024-03-11T06:45:00-05:00\"}</script>")
    assert extract_article(html, "https://news.example/a").published == "2024-03-11T06:45:00-05:00"


def test_a_time_in_the_date_line_is_the_published_time_though_the_line_is_not_body_text():
    html = page(before="<div class='entry-date'><time datetime='2024-03-11T06:45:00-05:00'>March 11</time></div>")
    article = extract_article(html, "https://news.example/a")
    assert article.published == "2024-03-11T06:45:00-05:00"
    assert "March 11" not in "\n".join(article.paragraphs)


@pytest.mark.parametrize("line_class, expected", [
    # A date line that also holds the comments link is still the story's date line.
    ("article--date-and-comments", "2024-03-11T06:45:00Z"),
    # A comment's date is the comment's: the story's time is the next one shown.
    ("comment-date", "2024-03-12T09:00:00Z"),
])
def test_a_date_line_with_a_comments_link_is_the_storys(line_class, expected):
    html = page(before=f"<div class='{line_class}'><time datetime='2024-03-11T06:45:00Z'>March 11</time>"
                       "<a href='#comments'>12 comments</a></div>",
                after="<p><time datetime='2024-03-12T09:00:00Z'>March 12</time></p>")
    assert extract_article(html, "https://news.example/a").published == expected


def test_only_modified_time_gives_no_published_time():
    html = page(head="<meta property='article:modified_time' content='2024-05-02T10:00:00Z'>")
    assert extract_article(html, "https://news.example/a").published is None


def test_tags_in_order_deduplicated_and_not_from_trending_or_navigation():
    html = page(
        head="<meta property='article:tag' content='Elections'><meta name='keywords' content='elections, Senate'>",
        before="<div class='trending'><a rel='tag' href='/t/snow'>Snow</a></div>"
               "<nav><a rel='tag' href='/t/sport'>Sport</a></nav>",
        after="<div class='story-tags'><a rel='tag' href='/t/e'>Elections</a><a rel='tag' href='/t/v'>Voting</a></div>")
    assert extract_article(html, "https://news.example/a").tags == ("Elections", "Senate", "Voting")


@pytest.mark.parametrize("img, url", [
    ("<img src='data:image/gif;base64,R0l' data-src='/m/a.jpg' alt='x'>", "https://news.example/m/a.jpg"),
    ("<img data-srcset='/m/s.jpg 400w, /m/l.jpg 1200w' alt='x'>", "https://news.example/m/l.jpg"),
    ("<amp-img src='../m/amp.jpg' width='4' height='3' alt='x'></amp-img>", "https://news.example/m/amp.jpg"),
])
def test_lazy_images_resolve_to_absolute_urls(img, url):
    html = page(before=f"<figure>{img}<figcaption>A caption. Photo: Ann Lee</figcaption></figure>")
    image = extract_article(html, "https://news.example/news/a").image
    assert (image.url, image.caption, image.credit) == (url, "A caption.", "Ann Lee")


def test_caption_div_after_the_image_is_the_caption_not_a_paragraph():
    body = ("<div class='img-wrap'><img src='/m/b.jpg'></div>"
            "<div class='image-caption'>Crowds at the rally on Sunday. Photo: Kim Park</div>" + BODY)
    article = extract_article(page(body=body), "https://news.example/a")
    assert article.image.caption == "Crowds at the rally on Sunday."
    assert article.image.credit == "Kim Park"
    assert not any("Crowds" in p for p in article.paragraphs)


def test_json_ld_body_picks_the_container_that_agrees_with_it():
    story = ["The harbour board approved the new breakwater on Monday after three years of argument.",
             "Fishermen said the project, which will cost 40 million, would protect the fleet in winter.",
             "Residents of the seafront asked for the footpath along the wall to stay open to walkers.",
             "The board said the path would close only while the cranes were working on each section.",
             "Work will start in April, and the board expects it to take two full seasons to finish."]
    teaser = "".join(f"<p>Teaser {i}: another story entirely, with plenty of words, commas, and more words "
                     f"to make it look like the longest prose on the whole page.</p>" for i in range(8))
    ld = '{"@type": "NewsArticle", "articleBody": "%s"}' % "\\n\\n".join(story)
    html = (f"<html><head><title>Breakwater</title><script type='application/ld+json'>{ld}</script></head>"
            f"<body><div class='story'>{''.join(f'<p>{s}</p>' for s in story)}</div>"
            f"<div class='more'>{teaser}</div></body></html>")
    assert extract_article(html, "https://news.example/a").paragraphs == tuple(story)


def test_complete_json_ld_body_vetoes_a_promo_block_it_never_mentions():
    story = [f"Sentence {w} of the council story, which runs long enough for four-word shingles to judge it."
             for w in ("one", "two", "three", "four", "five")]
    promo = "Our reporters worked through the night on this; support local journalism with a gift today."
    ld = '{"@type": "NewsArticle", "articleBody": "%s"}' % "\\n\\n".join(story)
    body = "".join(f"<p>{s}</p>" for s in story[:3]) + f"<p>{promo}</p>" + "".join(f"<p>{s}</p>" for s in story[3:])
    html = page(head=f"<script type='application/ld+json'>{ld}</script>", body=body)
    assert extract_article(html, "https://news.example/a").paragraphs == tuple(story)


def test_og_title_with_a_site_suffix_gives_way_to_the_h1():
    html = ("<html><head><meta property='og:title' content='Bridge reopens after repairs | Valley News'></head>"
            f"<body><article><h1>Bridge reopens after repairs</h1><div class='article-body'>{BODY}</div>"
            "</article></body></html>")
    assert extract_article(html, "https://news.example/a").headline == "Bridge reopens after repairs"


@pytest.mark.parametrize("title", [
    "Harbour Times: Bridge reopens after repairs", "Bridge reopens after repairs « Harbour Times",
    "Bridge reopens after repairs :: Harbour Times"])
def test_the_sites_name_goes_from_the_title_before_a_colon_or_after_guillemets_and_double_colons(title):
    html = (f"<html><head><title>{title}</title><meta property='og:site_name' content='Harbour Times'></head>"
            f"<body><div class='article-body'>{BODY}</div></body></html>")
    assert extract_article(html, "https://news.example/a").headline == "Bridge reopens after repairs"


@pytest.mark.parametrize("title, headline", [
    ("x", "Bridge reopens after repairs"), ("Article", "Bridge reopens after repairs"),
    # A short title that shares a word with the heading is a title of the story's own.
    ("Bridge news", "Bridge news")])
def test_a_placeholder_title_gives_way_to_the_storys_h1(title, headline):
    html = (f"<html><head><title>{title}</title></head><body><article><h1>Bridge reopens after repairs</h1>"
            f"<div class='article-body'>{BODY}</div></article></body></html>")
    assert extract_article(html, "https://news.example/a").headline == headline


@pytest.mark.parametrize("head, top", [
    # The <title> is the site's name, written apart where its host runs it together.
    ("", "<h1>Bridge reopens after repairs</h1>"),
    ("", "<h1><span class='kicker'>Exclusive</span> Bridge reopens after repairs</h1>"),
    # The logo's <h1> agrees with that <title>; the story's own og:title still wins.
    ("<meta property='og:title' content='Bridge reopens after repairs'>",
     "<h1><a href='/'>Harbour Times</a></h1><h2>Bridge reopens after repairs</h2>"),
    # A screen reader's note inside the <h1> is not part of it.
    ("", "<h1>Bridge reopens after repairs <span class='sr-only'>(opens in new window)</span></h1>"),
])
def test_a_title_that_is_only_the_sites_name_gives_way_to_the_storys_headline(head, top):
    html = (f"<html><head><title>Harbour Times</title>{head}</head><body><article>{top}"
            f"<div class='article-body'>{BODY}</div></article></body></html>")
    assert extract_article(html, "https://harbourtimes.example/a").headline == "Bridge reopens after repairs"


def test_a_sites_default_og_title_gives_way_to_the_title_and_h1_that_agree():
    # The og:title is the site's, on every page; a slideshow caption in the article is an <h1> too.
    html = ("<html><head><title>Bridge reopens after repairs</title>"
            "<meta property='og:title' content='Valley News - Latest News &amp; Headlines'></head>"
            "<body><article><h1>The north span seen from the river on Monday</h1>"
            f"<div class='article-body'>{BODY}</div></article><h1>Bridge reopens after repairs</h1></body></html>")
    assert extract_article(html, "https://news.example/a").headline == "Bridge reopens after repairs"


def test_an_og_title_that_an_h1_shows_stays_when_another_h1_repeats_the_title():
    # A site's logo <h1> can match a <title> that is only the site's name: the story's og:title keeps its place.
    html = ("<html><head><title>Valley News</title><meta property='og:title' content='Bridge reopens after repairs'>"
            "</head><body><h1>Valley News</h1><article><h1>Bridge reopens after repairs</h1>"
            f"<div class='article-body'>{BODY}</div></article></body></html>")
    assert extract_article(html, "https://news.example/a").headline == "Bridge reopens after repairs"


@pytest.mark.parametrize("cut", ["Bridge reopens after repairs to its...", "Bridge reopens after repairs to its …"])
def test_a_title_cut_with_an_ellipsis_gives_way_to_the_whole_h1(cut):
    html = (f"<html><head><meta property='og:title' content='{cut}'></head>"
            "<body><article><h1>Bridge reopens after repairs to its north span</h1>"
            f"<div class='article-body'>{BODY}</div></article></body></html>")
    assert extract_article(html, "https://news.example/a").headline == "Bridge reopens after repairs to its north span"


@pytest.mark.parametrize("line", ["READ MORE", "Read more: Floods hit the coast", "ALSO READ: Storm warning",
                                  "Advertisement - Continue Reading Below", "ADVERTISEMENT", "Related links:",
                                  "Reporting by Ann Lee; editing by Tom Roe",
                                  "SHARE 79 CONNECT 32 TWEETCOMMENTEMAILMORE", "Facebook | Twitter | Email",
                                  "Also on harbour.example Ferry crews strike again as talks fail",
                                  "Like this story? Share it with a friend!", "Most read in world news",
                                  "More from Politics", "Submitted on Mon, 2019-01-21 13:49",
                                  "Facebook https://fb.me/harbourdaily",
                                  "Instagram: https://www.instagram.com/harbourdaily/"])
def test_promo_and_label_lines_are_not_paragraphs(line):
    article = extract_article(page(body=BODY.replace("</p>", f"</p><p>{line}</p>", 1)), "https://news.example/a")
    assert line not in article.paragraphs


@pytest.mark.parametrize("box", ["<div class='post-body-sig-line'><div class='post-body-bio'>{}</div></div>",
                                 "<p class='bio'>{}</p>", "<section class='biography'><p>{}</p></section>"])
def test_the_writers_bio_under_the_story_is_not_a_paragraph(box):
    bio = "Ola Berg is a Bergen-based correspondent for the Herald. She previously covered the oil industry."
    article = extract_article(page(body=BODY + box.format(bio)), "https://news.example/a")
    assert bio not in article.paragraphs and article.paragraphs[-1].startswith("Paragraph 5")


@pytest.mark.parametrize("line", ["More than 2,000 people shared the post on Facebook.", "12 34",
                                  "More from the minister came later, when he spoke to the press on the quay",
                                  "Also on Tuesday the council voted to close the pier for the winter.",
                                  "The minister wrote on https://twitter.com/harbourmin that the plan was dead.",
                                  "Instagram: @harbour_chef"])
def test_a_line_that_only_mentions_sharing_or_is_numbers_stays(line):
    article = extract_article(page(body=BODY.replace("</p>", f"</p><p>{line}</p>", 1)), "https://news.example/a")
    assert line in article.paragraphs


@pytest.mark.parametrize("line", [
    "Already a subscriber? Log in", "Already have an account? Sign in", "Subscribe for unlimited access",
    "You have reached your limit of free articles", "You've read 3 of 5 free articles this month.",
    "Get unlimited digital access for $1", "To continue reading, subscribe now",
    "(Photo by John Smith/Getty Images)", "Getty Images", "Image source, Getty Images",
    "Image caption, The ferry at the pier", "Media caption, Watch the ferry arrive", "Credit: Ana Ruiz/The Herald",
    "Fotó: MTI", "Zdjęcie: PAP", "Copy link", "Print this page", "A A A", "You are here: Home » News",
    "Inicio > Noticias", "We need your consent to load this YouTube content",
    "To view this content, please enable cookies", "Enable JavaScript to view comments", "Recommended for you",
    "You may also like:", "Show comments", "Reading time: 4 minutes", "This story has been shared 120 times",
    "Download our app", "Get the app", "Got a story? Email news@harbour.example", "Tip us: news@harbour.example",
    "Zum Inhalt springen", "Aller au contenu principal", "Weiterlesen nach der Anzeige",
    "Conteúdo exclusivo para assinantes",
    "Was this article helpful? Yes No", "Report an error", "Spotted a typo? Let us know at news@harbour.example",
    "Posted in News, Transport | Leave a comment", "Filed in Harbour", "Copyright © 2026 Harbour Times Ltd.",
    "© Harbour Times - Tous droits réservés", "© dpa Alle Rechte vorbehalten", "Todos os direitos reservados.",
    "Riproduzione riservata ©", "İlginizi çekebilir: Belediye yeni otopark planını onayladı"])
def test_paywall_credit_consent_and_control_lines_are_not_paragraphs(line):
    article = with_line(line)
    assert line not in article.paragraphs and len(article.paragraphs) == 6


@pytest.mark.parametrize("line", [
    "分享到：", "相关阅读：港口大桥下月重开", "扫一扫在手机打开当前页", "この記事をシェアする",
    "▶ 관련기사: 항구 다리 다음달 재개통", "기사제보 및 보도자료 press@harbour.example",
    "جميع الحقوق محفوظة © 2026", "כל הזכויות שמורות © 2026", "सभी अधिकार सुरक्षित © 2026", "Tüm hakları saklıdır.",
    "کلیه حقوق این سایت محفوظ است", "Hak cipta dilindungi undang-undang", "Všechna práva vyhrazena",
    "Simak berita dan artikel lainnya di Google News", "Editor: Siti Aminah", "Pewarta: Budi Santoso",
    # newsletter sign-ups and paywall lines
    "Iscriviti alla newsletter", "Zapisz się do newslettera", "Melden Sie sich für unseren Newsletter an",
    "Abonneer je op onze nieuwsbrief", "Prenumerera på vårt nyhetsbrev", "Bültenimize abone olun",
    "اشترك في نشرتنا البريدية", "Abbonati per continuare a leggere questo articolo",
    "Regístrate gratis para seguir leyendo", "Jetzt kostenlos registrieren und weiterlesen",
    "Lees verder met een abonnement", "Il vous reste 80% de cet article à lire. La suite est réservée aux abonnés.",
    "Pozostało 80% artykułu. Wykup dostęp, aby czytać dalej.", "この記事は有料会員限定です", "残り1234文字（全文2345文字）",
    "订阅后阅读全文", "로그인 후 전체 기사를 볼 수 있습니다"])
def test_chrome_lines_in_other_scripts_are_not_paragraphs(line):
    article = with_line(line)
    assert line not in article.paragraphs and len(article.paragraphs) == 6


@pytest.mark.parametrize("line", [
    "分享到社交媒体的视频在两天内被转发了十万次，市政府随后发表声明。",
    "相关部门表示，大桥维修工程将在下月底前全部完成，届时将恢复通车。",
    "記事をシェアした住民の多くは、橋の再開を歓迎していると話した。",
    "جميع الركاب الذين استخدموا العبارات خلال فترة الإغلاق سيحصلون على تعويض، وفق ما أعلنت البلدية.",
    "Editor senior harian itu, Siti Aminah, mengatakan bahwa jembatan akan dibuka kembali bulan depan.",
    "Tüm hakları saklı tutulan projenin maliyeti 11 milyon lira olarak açıklandı.",
    "The council's newsletter, which goes to 4,000 subscribers, announced the closure on Friday.",
    "Noch 80 % der Fahrgäste nutzen die Fähre, sagte der Betreiber am Dienstag.",
    "Wer weiterlesen will, braucht bald ein Abonnement, sagte der Verleger der Zeitung vor den Gästen.",
    "会員限定のセールが始まり、港の商店街には朝から長い行列ができた。",
    "Resta il 20% dei lavori da completare prima della riapertura del ponte."])
def test_story_sentences_in_other_scripts_that_open_like_those_lines_stay(line):
    article = with_line(line)
    assert line in article.paragraphs


@pytest.mark.parametrize("line", [
    "Already a member of the board, she was named chair of the harbour trust in May.",
    "To see this happen again, the council said, the pier must be rebuilt.",
    "To view this week's timetable, passengers can visit the harbour office.",
    "Get the app developers' side of the story, the minister told reporters.",
    "Credit unions in the region lent more than ever this year.",
    "Home to 4,000 people, the island relies on the ferry.",
    "Getty Images photographers were on the quay when the ferry docked.",
    "Print editions were delayed by the strike.", "Reading time has fallen among teenagers, the survey found.",
    "Show comments were cut from the broadcast after complaints.",
    "Have a story idea? The paper asked readers to send in their memories of the old ferry, and hundreds replied.",
    "The cookies were baked on board, and passengers could accept them at the door.",
    "Copyright law protects the design of the ferry, the company's lawyers said on Tuesday.",
    "Posted in the harbour office's window, the notice warned drivers of the closure.",
    "Report an error in the timetable, the council urged passengers, and it would be put right.",
    # Where the story first ran and an affiliate note are the story's own lines: readers are owed them.
    "This article was originally published by The Conversation. Read the original article.",
    "Disclosure: we may earn a commission from some of the products featured on this page."])
def test_story_sentences_that_open_like_those_lines_stay(line):
    article = with_line(line)
    assert line in article.paragraphs


@pytest.mark.parametrize("markup, text", [
    ("<p>Sujets associés <a href='/sujet/ferries'>Ferries</a> <a href='/sujet/port'>Port</a></p>",
     "Sujets associés Ferries Port"),
    ("<p>Read more about: <a href='/ferries'>Ferries</a>, <a href='/harbour-board'>Harbour Board</a></p>",
     "Read more about: Ferries, Harbour Board"),
    ("<div><b>Main articles:</b> <a href='https://news.example/wiki/Ferries'>Ferries</a> and "
     "<a href='https://news.example/wiki/Harbours'>Harbours</a></div>", "Main articles: Ferries and Harbours"),
])
def test_a_short_label_over_links_to_the_sites_own_pages_is_not_a_paragraph(markup, text):
    head = "<link rel='canonical' href='https://www.news.example/a'>"
    article = extract_article(page(head=head, body=BODY.replace("</p>", "</p>" + markup, 2)), "https://news.example/a")
    assert text not in article.paragraphs and len(article.paragraphs) == 6


@pytest.mark.parametrize("markup, text", [
    # links to files, or to another site, are what the sentence is about
    ("<p>Source files: <a href='/dist/blanket.js'>blanket.js</a>, <a href='/src/mocha-blanket.js'>mocha.js</a></p>",
     "Source files: blanket.js, mocha.js"),
    ("<p>Data: <a href='https://stats.example/ferries'>ferry counts</a>, "
     "<a href='https://stats.example/piers'>pier use</a></p>", "Data: ferry counts, pier use"),
    # a word between the links makes it a sentence
    ("<p>Call <a href='/people/ana-ruiz'>Ana Ruiz</a> or <a href='/people/bo-li'>Bo Li</a></p>",
     "Call Ana Ruiz or Bo Li"),
])
def test_a_line_of_links_to_files_other_sites_or_with_words_between_stays(markup, text):
    article = extract_article(page(body=BODY.replace("</p>", "</p>" + markup, 2)), "https://news.example/a")
    assert text in article.paragraphs


def test_pull_quote_is_removed_by_dedupe_which_reports_it():
    said = "“Fines keep the people who need libraries most away from them,” the head librarian said."
    body = ("".join(PARAS[:3]) + f"<p class='pull'>{said}</p>"
            f"<p>{said[:-1]}, adding that fines raised less than it cost to collect them.</p>" + "".join(PARAS[3:]))
    result = dedupe_article(extract_article(page(body=body), "https://news.example/a"), threshold=0.9)
    paragraphs = result.article.paragraphs
    assert said not in paragraphs
    assert result.article.body_html.count("Fines keep") == 1  # gone from the HTML too
    assert any(p.startswith("“Fines keep") and p.endswith("collect them.") for p in paragraphs)
    (removed,) = [r for r in result.removed if "librarian" in r.text]
    assert (removed.reason, removed.text) == ("pull-quote", said)


@pytest.mark.parametrize("markup", ["<blockquote class='graf--pullquote pullquote'>{}</blockquote>",
                                    "<div class='pull-quote'><p>{}</p></div>"])
def test_a_quote_styled_large_that_says_something_new_stays_in_the_body(markup):
    # Only a repeat makes a pull-quote boilerplate; in some posts the large-type quote is the point itself.
    said = "Literally means actually: when you say something literally happened, it happened just so."
    story = ["People use the word to stress a point, which is odd, since the point is already made.",
             "Ask them whether the house was really torn apart, and they will say, of course not.",
             "Maybe it is time to say what the word means, before it means nothing at all.",
             "So use it only when you mean it, and never, ever, in a joke about a horse."]
    body = "".join(f"<p>{s}</p>" for s in story[:3]) + markup.format(said) + f"<p>{story[3]}</p>"
    result = dedupe_article(extract_article(page(body=body), "https://news.example/a"), threshold=0.9)
    assert result.article.paragraphs == (*story[:3], said, story[3])
    assert not result.removed


def test_a_paragraph_contained_in_another_is_not_a_repeat():
    said = "The head librarian said fines keep the people who need libraries most away from them."
    body = ("".join(PARAS[:3]) + f"<p>{said}</p>"
            f"<p>{said[:-1]}, adding that fines raised less than it cost to collect them.</p>" + "".join(PARAS[3:]))
    result = dedupe_article(extract_article(page(body=body), "https://news.example/a"), threshold=0.9)
    assert said in result.article.paragraphs
    assert [r for r in result.removed if "librarian" in r.text] == []


def test_json_ld_body_wins_when_the_markup_holds_hardly_any_of_it():
    story = [f"Paragraph {w} of the only clean copy, which the page keeps in its structured data block."
             for w in ("one", "two", "three", "four", "five", "six", "seven")]
    ld = '{"@type": "NewsArticle", "articleBody": "%s"}' % "\\n\\n".join(story)
    junk = "".join(f"<p>Reader comment {i}: I have been saying this for years, and nobody listens, as usual.</p>"
                   for i in range(8))
    html = page(head=f"<script type='application/ld+json'>{ld}</script>", body=junk)
    assert extract_article(html, "https://news.example/a").paragraphs == tuple(story)


def test_hover_card_behind_a_linked_name_is_not_part_of_the_sentence():
    card = ("<span class='person'><a href='/p/omar'>Ilhan Omar</a><span class='person-card'><img src='/t.jpg'>"
            "<a href='/p/omar'>Ilhan Omar</a><a href='/n/1'>Another story about the congresswoman</a></span></span>")
    body = "".join(PARAS[:3]) + f"<p>A man admitted threatening Rep. {card} (D-Minn.), prosecutors said.</p>"
    paragraphs = extract_article(page(body=body + "".join(PARAS[3:])), "https://news.example/a").paragraphs
    assert "A man admitted threatening Rep. Ilhan Omar (D-Minn.), prosecutors said." in paragraphs


@pytest.mark.parametrize("figcaption, caption, credit", [
    ("Crowds on Sunday. <span class='credit'>© Reuters</span>", "Crowds on Sunday.", "Reuters"),
    ("<span class='caption-text'>Crowds on Sunday.</span> <span class='byline'>Photograph: Ann Lee/Getty Images</span>",
     "Crowds on Sunday.", "Ann Lee/Getty Images"),
    ("Crowds on Sunday | Photo by Ann Lee", "Crowds on Sunday", "Ann Lee"),
    ("Crowds on Sunday. (Credit: Ann Lee)", "Crowds on Sunday.", "Ann Lee"),
    ("Photo: Ann Lee/AP", None, "Ann Lee/AP"),
    # A label hidden from sight, with an ellipsis and no colon, in tags with hashed classes.
    ("<span class='css-1'>Crowds on Sunday.</span> <span class='css-2'><span class='css-3'>Credit...</span>"
     "<span>Ann Lee for The Herald</span></span>", "Crowds on Sunday.", "Ann Lee for The Herald"),
])
def test_figcaption_caption_and_credit(figcaption, caption, credit):
    html = page(body=f"<figure><img src='/m/c.jpg'><figcaption>{figcaption}</figcaption></figure>" + BODY)
    image = extract_article(html, "https://news.example/a").image
    assert (image.caption, image.credit) == (caption, credit)


@pytest.mark.parametrize("line, byline", [
    ("<font size='2'>By MARTHA KELL, Herald Staff Writer</font>", "Martha Kell"),
    ("<p>By Tuesday, the council had agreed to a second vote.</p>", None),
    ("<span>By: <a href='/staff/4'>Ola Berg</a><br>Chief Political Correspondent</span>", "Ola Berg"),
])
def test_unmarked_by_line_is_the_byline_only_when_it_names_someone(line, byline):
    html = ("<html><head><title>Flood waters recede</title></head><body><table><tr><td>"
            f"<b>Flood waters recede</b><br>{line}{BODY}</td></tr></table></body></html>")
    article = extract_article(html, "https://news.example/a")
    assert article.byline == byline
    # The by-line and the author's title under it are not story paragraphs; a sentence is.
    assert article.paragraphs[0] == "By Tuesday, the council had agreed to a second vote." if byline is None else \
        article.paragraphs[0] == "Paragraph 0 of the story, with enough words, commas, and detail to count as prose."


def test_a_title_line_is_dropped_only_right_under_the_byline():
    body = ("<p>By Ola Berg</p><p>Senior Editor</p>" + BODY
            + "<p>Senior Editor</p><p>The last line of the story says who checked it.</p>")
    article = extract_article(page(body=body), "https://news.example/a")
    assert article.byline == "Ola Berg"
    assert article.paragraphs[0].startswith("Paragraph 0")
    assert "Senior Editor" in article.paragraphs  # further down it is not under a byline


def test_unclassed_signup_box_inside_the_body_is_not_story_text():
    box = ("<div><h3>Get our morning email</h3><p>Every weekday, the top local stories in your inbox.</p>"
           "<form><input type='email'><button>Go</button></form></div>")
    article = extract_article(page(body="".join(PARAS[:2]) + box + "".join(PARAS[2:])), "https://news.example/a")
    assert not any("morning email" in p or "inbox" in p for p in article.paragraphs)
    assert len(article.paragraphs) == len(PARAS)


def test_byline_headshot_is_not_the_lead_image():
    before = ("<div class='author-block'><img src='/staff/jane.jpg' alt='Jane Doe'> By Jane Doe</div>"
              "<figure><img src='/m/lead.jpg'><figcaption>The lead picture. Photo: Ann Lee</figcaption></figure>")
    html = page(body=before + BODY)
    image = extract_article(html, "https://news.example/a").image
    assert (image.url, image.caption, image.credit) == ("https://news.example/m/lead.jpg", "The lead picture.", "Ann Lee")


def test_standfirst_just_before_the_body_opens_it():
    html = ("<html><head><meta property='og:title' content='A headline'></head><body><article><h1>A headline</h1>"
            "<p class='standfirst'>Three people died in the clashes, which began when police cleared a road block.</p>"
            f"<div class='article-body'>{BODY}</div></article></body></html>")
    paragraphs = extract_article(html, "https://news.example/a").paragraphs
    assert paragraphs[0].startswith("Three people died") and len(paragraphs) == len(PARAS) + 1


# Labels in the other languages newsrooms publish in, and prose that only looks like them.
@pytest.mark.parametrize("label", [
    "Publicidade", "Anzeige", "Реклама", "広告", "Compartilhe", "Voltar", "Leia também: Governo anuncia plano",
    "Lesen Sie auch", "Leggi anche", "Читайте также: Новая диета", "関連記事", "Самые популярные диеты",
    "タグ: ソフトウェア", "Etiquetas: política, economía", "Notícias relacionadas", "Les plus lus", "Comentários",
    "05/10/2018 - Publicado por: Clarissa Borba - Categoria: Saúde - Tags: sad", "Добавить отзыв",
    "segunda-feira, 22 de janeiro de 2018 às 0:13", "2018-08-16", "05/10/2018 14:30", "03.05.2021 | 14:05",
    "Suscríbete a nuestro boletín",
    "【纠错】", "【责任编辑:张樵苏 】", "（编辑：严玉洁 王辉）", "来源：新华网", "（完）",
    "الآراء الواردة أدناه لا تعبر عن رأي الموقع، بل تعكس وجهات نظر أصحابها فقط.",
    "نرحب بالنقاش، وننصحك بمراجعة إرشادات الاستخدام قبل نشر التعليقات.",
    "Please read our community guidelines before posting comments.",
    "Zobacz też", "Czytaj także", "Läs också", "Les også", "Reklama", "Udostępnij", "Weiterlesen", "Lire la suite",
    "Seguir leyendo", "Continua a leggere", "Zum Artikel", "Artikel teilen", "Schriftgröße", "Taille du texte",
    "Tamaño de letra", "Dieser Artikel ist nur für Abonnenten", "Cet article est réservé aux abonnés",
    "Este contenido es exclusivo para suscriptores", "Das könnte Sie auch interessieren", "Empfohlene Artikel",
    "Lo más leído", "I più letti", "Jetzt abonnieren", "Continue reading the main story",
    # Wire photo captions printed as paragraphs on pages with no <figcaption>.
    "Ana Ruiz, File - FILE - In this March 2, 2011 file photo, the harbour master waves to the crowd.",
    "Workers repair the quay on Monday. (AP Photo/Ana Ruiz)",
    "Sign in now to share your story.", "Please log in to comment.",
    # The advertisement label in Indonesian, Vietnamese, Korean, Croatian, Greek.
    "Iklan", "Quảng cáo", "광고", "Oglas", "Διαφήμιση",
    # "Read also" and "related" in Indonesian, Vietnamese, Korean, Czech, Slovak, Hungarian, Romanian, Greek,
    # Hindi, Ukrainian, Hebrew, Turkish, Thai, Persian, Dutch, Swedish, Polish, Spanish, French, Chinese, Japanese.
    "Baca juga: Harga beras naik lagi di Jakarta", "Simak juga", "Xem thêm: Giá vàng hôm nay", "Tin liên quan",
    "관련기사", "Přečtěte si také: Vláda schválila rozpočet", "Čítajte aj", "Olvassa el ezt is", "Kapcsolódó cikkek",
    "Citește și: Guvernul a aprobat bugetul", "Articole similare", "Διαβάστε επίσης", "यह भी पढ़ें: बजट पास",
    "Читайте також", "קראו גם", "İlgili haberler", "อ่านเพิ่มเติม", "بیشتر بخوانید", "Gerelateerde artikelen",
    "Relaterade artiklar", "Przeczytaj też", "Lea también: El Gobierno aprueba el presupuesto",
    "Contenido relacionado", "Te recomendamos", "Sur le même sujet", "À voir aussi", "延伸阅读", "相关报道", "関連ニュース",
    "เรื่องที่เกี่ยวข้อง",
    # Ad breaks, messenger-channel invitations, and Korean, Japanese and Chinese rights and reporter lines.
    "Haberin Devamı", "Continua após a publicidade", "Continúa después de la publicidad", "La suite après cette publicité",
    "Weiter nach der Anzeige", "Receba as notícias do Diário no seu WhatsApp", "Siga o canal do Diário no WhatsApp",
    "Únete a nuestro canal de WhatsApp", "Follow us on Google News for the latest stories",
    "<ⓒ 한국일보, 무단전재 및 재배포 금지>", "저작권자 © 연합뉴스 무단전재-재배포 금지", "홍길동 기자 hong@news.example.kr",
    "無断転載禁止", "版权所有，未经授权不得转载",
    # A press release's trailers.
    "Media Contact: Jane Roe, +1 555 0100, jane@acme.example", "SOURCE Acme Corp",
    "View original content:https://wire.example/news-releases/acme-301.html",
    # A video player's controls, read as lines where the page has no classes.
    "Full Screen", "Autoplay", "Skip Ad", "Buy Photo", "Wait 1 second to continue.", "Unmute", "Your video will play in 00:25",
    # A pager's and a view counter's lines.
    "Página 1 de 2", "Page 3 of 12", "AnteriorSiguiente", "Previous | Next", "Visto 314 veces", "1,204 views",
    # A sign-up box whose form is drawn by a script.
    "Breaking News Emails", "SUBSCRIBE", "Get breaking news alerts and special reports. The news and stories that "
    "matter, delivered weekday mornings.",
    # Share buttons with their target, in more languages; the most read; comment headings.
    "Compartir en Facebook", "Comparte esta noticia", "Partager sur Facebook", "Partager cet article",
    "Auf Facebook teilen", "Diesen Artikel teilen", "Condividi su Facebook", "Delen op Facebook",
    "Udostępnij na Facebooku", "Поделиться в Facebook", "Facebook'ta paylaş", "Jaa Facebookissa", "Bagikan",
    "Chia sẻ", "공유하기", "分享到", "Más noticias", "Últimas noticias", "Meest gelezen", "En çok okunanlar",
    "Mest läst", "Luetuimmat", "Nejčtenější", "Cele mai citite", "Terpopuler", "Đọc nhiều", "الأكثر قراءة",
    "많이 본 뉴스", "Réagir", "Reacties", "Komentarze", "Yorumlar", "Kommentarer", "تعليقات", "댓글", "Anuncio",
    "Newsletter abonnieren",
    # A time relative to when the page was read, alone or labelled; a date line with its reading time.
    "2 hours ago", "Actualizado hace 5 minutos", "il y a 3 jours", "vor einer Stunde", "03 May 2021 | 2 min read",
])
def test_boilerplate_labels_in_other_languages(label):
    from tasks.clean.boilerplate import is_boilerplate_text

    assert is_boilerplate_text(label)


@pytest.mark.parametrize("prose", [
    "O governo anunciou nesta segunda-feira um novo plano para a saúde pública.",
    "Die Regierung hat am Montag neue Werbung verboten, teilte das Ministerium mit.",
    "La publicidad engañosa será multada, dijo el ministro el martes.",
    "Iklan baris di koran itu laku keras, kata pedagang pada hari Senin.",
    "Leia o relatório completo no site do ministério, que publicou os dados nesta terça.",
    "O relatório, publicado por especialistas em 2019, mostra uma queda nas vendas.",
    "Самая популярная диета в России — гречневая, говорят врачи, которые изучали её много лет.",
    "In 2018-2019 the council spent more on roads.",
    "编辑部的同事们在周一讨论了这个问题，并决定继续推进这个新的项目。",
    "The council's new comment policy will be debated on Monday, officials said.",
    "Die Regierung will nur für Abonnenten der Bahn die Preise senken, sagte der Minister am Montag in Berlin.",
    "Le ministre a annoncé que le service serait réservé aux abonnés du réseau.",
    "Del Potro won the match in three sets.",
    "Continue reading to find out why the council voted no.",
    "File sharing is legal, the court said on Monday in a ruling.",
    "WASHINGTON (AP) — The Senate voted on Tuesday.",
    "Users must sign in to comment from Monday, the company said.",
    "Baca juga laporan lengkap kementerian yang terbit pada hari Senin.",
    "Xem thêm thông tin trên trang của bộ, người phát ngôn cho biết hôm thứ Hai.",
    "Saiba mais sobre o programa no site do ministério, disse o secretário nesta terça.",
    "Les articles liés à la réforme ont été votés mardi par les députés.",
    "Comparte la opinión de los vecinos, dijo el alcalde, que quieren más barcos.",
    "He left 3 years ago.", "2 hours ago, the ferry sank off the coast of the island.",
    "Más noticias llegarán mañana, cuando el consejo vote el plan del puerto.",
    "Réagir vite est essentiel, a dit le capitaine aux passagers du ferry.",
    "Anuncio de la nueva línea de ferris: el ministro dijo que los barcos saldrán en mayo.",
    "Police said the group used WhatsApp to organise the protest and Telegram to plan it.",
    "Source close to the minister said the plan would be dropped.",
    "The media contacts of the ministry were not available on Monday, officials said.",
    "기자들은 월요일 국회에서 장관의 발표를 들었다.",
    "Autoplay videos will be switched off on the site from Monday, the company said.",
    "The page 1 of the report was missing, officials said.", "Next, the council voted on the budget.",
    "The video was viewed 3 million times in a week, the company said.",
    "Leaked emails", "Get alerts on your phone by turning on notifications in the settings, the agency said.",
    "Receive the emails the council delivered to residents every day, he said.",
])
def test_prose_that_mentions_those_words_stays(prose):
    from tasks.clean.boilerplate import is_boilerplate_text

    assert not is_boilerplate_text(prose)


def test_a_portuguese_page_loses_its_chrome_and_keeps_its_story():
    page = """<html lang="pt"><head><title>Prefeitura reabre mercado</title></head><body><article>
      <h1>Prefeitura reabre mercado</h1><p>segunda-feira, 22 de janeiro de 2018 às 0:13</p>
      <div class="texto"><p>A prefeitura reabriu nesta segunda-feira o antigo mercado municipal, fechado desde 2015
      para uma reforma que custou mais do que o previsto.</p><p>Publicidade</p>
      <p>Os comerciantes disseram que esperam a volta dos clientes já no fim de semana, quando haverá feira.</p>
      <p>Leia também: Câmara aprova orçamento de 2018</p><p>Compartilhe</p>
      <p>O prefeito afirmou que a obra foi entregue dentro do novo prazo acordado com a construtora.</p></div>
      <p>Voltar</p></article></body></html>"""
    article = extract_article(page, "https://noticias.example/mercado")
    assert [p[:12] for p in article.paragraphs] == ["A prefeitura", "Os comercian", "O prefeito a"]


@pytest.mark.parametrize("marks", ["c-socialshare u-margin-xxl", "socialshare__headline"])
def test_a_share_box_named_in_one_word_is_boilerplate(marks):
    box = f"<div class='{marks}'><p>Send this story to a friend, or keep it for later reading tonight.</p></div>"
    article = extract_article(page(body=BODY.replace("</p>", f"</p>{box}", 1)), "https://news.example/a")
    assert not any(p.startswith("Send this story") for p in article.paragraphs)


@pytest.mark.parametrize("marks", ["util-bar-flyout ugc-util-bar-flyout", "util-bar-module", "ugc-upload-form"])
def test_a_reader_contribution_widget_and_a_utility_bar_are_boilerplate(marks):
    box = (f"<div class='{marks}'><p>View reader contributions and add your own related to this story.</p>"
           "<p>You've contributed successfully to this story. Check out your photo or video now.</p></div>")
    article = extract_article(page(body=BODY.replace("</p>", f"</p>{box}", 1)), "https://news.example/a")
    assert not any("contribut" in p for p in article.paragraphs)

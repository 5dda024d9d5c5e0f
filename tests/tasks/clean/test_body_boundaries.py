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
                                         ("What the new fares mean", True)])
def test_the_list_under_a_more_stories_label_goes_with_the_label(label, kept):
    items = ("<ul><li>Ferry crews will strike again, <a href='/s/1'>the union says</a></li>"
             "<li>Night buses return to the <a href='/s/2'>harbour route in May</a></li></ul>")
    page = ("<html><head><title>Fares rise again</title></head><body><article><h1>Fares rise again</h1>"
            f"<p>{_STORY[0]}</p><p>{_STORY[1]}</p><hr><div class='heading-h3'>{label}</div>{items}"
            "</article></body></html>")
    text = body_text(extract_article(page, URL, second_opinion=False).blocks)
    assert any("Ferry crews will strike again" in line for line in text) is kept

"""The lead image is a photo of the story: not the print header's logo, a
loading spinner, or a lazy loader's settings read as an address."""

from __future__ import annotations

import pytest
from lxml import html

from tasks.clean import extract_article
from tasks.clean.image_urls import image_url

PROSE = "".join(f"<p>Paragraph {i} of the quarry story, with enough words, commas, and detail to be prose.</p>"
                for i in range(5))
PHOTO = "<figure><img src='https://cdn.example/photos/quarry-1200.jpg'><figcaption>The quarry at dawn.</figcaption></figure>"


def lead(before: str) -> str | None:
    page = (f"<html><head><title>Quarry</title></head><body><article><h1>Quarry</h1>{before}{PHOTO}"
            f"<div class='story'>{PROSE}</div></article></body></html>")
    image = extract_article(page, "https://news.example/quarry").image
    return image.url if image else None


@pytest.mark.parametrize("decoration", [
    "<div class='print-header'><img src='/img/print-header-logo.png' alt='print header logo'></div>",
    "<div class='top'><img src='/img/masthead.png' alt='Site logo'></div>",
    "<figure><img src='/img/x.png' role='presentation'><figcaption>decor</figcaption></figure>",
])
def test_a_logo_or_a_decorative_image_before_the_photo_is_not_the_lead(decoration):
    assert lead(decoration) == "https://cdn.example/photos/quarry-1200.jpg"


def test_a_photo_of_a_logo_is_still_a_photo():
    page = ("<html><head><title>Quarry</title></head><body><article><h1>Quarry</h1><figure>"
            "<img src='https://cdn.example/2019/quarry-logo-getty-1024.jpg' alt='The quarry company logo on its gate'>"
            f"<figcaption>The gate.</figcaption></figure><div class='story'>{PROSE}</div></article></body></html>")
    assert extract_article(page, "https://news.example/q").image.url == "https://cdn.example/2019/quarry-logo-getty-1024.jpg"


def img(attrs: str) -> str | None:
    return image_url(html.fromstring(f"<div><img {attrs}></div>").find(".//img"), "https://news.example/story/")


def test_a_spinner_in_src_gives_way_to_the_lazy_loaded_picture():
    assert img("src='/graphics/sr-loader.png' data-srcset='https://cdn.example/a_300.jpg 300w, "
               "https://cdn.example/a_900.jpg 900w'") == "https://cdn.example/a_900.jpg"


def test_a_lazy_loaders_json_settings_name_the_picture_inside():
    settings = '{"default":{"load":"default","w":"80","src":"//img.example/entity/BB1.img?h=450&amp;w=799"}}'
    assert img(f"data-src='{settings}' src='//static.example/sc/e151e5.gif'") == "https://img.example/entity/BB1.img?h=450&w=799"


def test_settings_without_an_address_are_no_address():
    assert img("data-src='{\"load\": \"default\"}'") is None


@pytest.mark.parametrize("attrs, url", [
    # The largest rendition the srcset lists, by width or by density, over the small src.
    ("src='/img/a.jpg?w=400' srcset='/img/a.jpg?w=400 400w, /img/a.jpg?w=1600 1600w, /img/a.jpg?w=800 800w'",
     "https://news.example/img/a.jpg?w=1600"),
    ("src='/img/a-320.jpg' srcset='/img/a-320.jpg 1x, /img/a-640.jpg 2x'", "https://news.example/img/a-640.jpg"),
    # One candidate alone says nothing of size, and a srcset of script links is none.
    ("src='/img/a.jpg' srcset='/img/a-small.jpg 300w'", "https://news.example/img/a.jpg"),
    ("src='/img/a.jpg' srcset='javascript:x 300w, javascript:y 900w'", "https://news.example/img/a.jpg"),
])
def test_the_largest_rendition_a_srcset_lists_is_the_pictures_address(attrs, url):
    assert img(attrs) == url


def in_picture(sources: str, attrs: str) -> str | None:
    markup = f"<div><picture>{sources}<img {attrs}></picture></div>"
    return image_url(html.fromstring(markup).find(".//img"), "https://news.example/story/")


SMALL_SCREEN_CROPS = ("<source media='(max-width: 767px)' srcset='/img/square/a-w120.jpg 120w, /img/square/a-w960.jpg 960w'>"
                      "<source media='(min-width: 768px)' srcset='/img/a-w640.jpg 640w, /img/a-w2240.jpg 2240w'>")


def test_a_pictures_sources_do_not_outrank_the_imgs_own_src():
    # Art direction and other formats: the img's src is the picture a bundle can use.
    assert in_picture(SMALL_SCREEN_CROPS, "src='/img/a-w2560.jpg'") == "https://news.example/img/a-w2560.jpg"
    avif = "<source srcset='/img/a-avif-dpr2.jpg 2x, /img/a-avif.jpg 1x'>"
    assert in_picture(avif, "src='/img/a-760.jpg' width='2500'") == "https://news.example/img/a-760.jpg"


def test_an_img_with_no_address_of_its_own_takes_its_pictures_widest_source():
    assert in_picture(SMALL_SCREEN_CROPS, "alt='The quarry'") == "https://news.example/img/a-w2240.jpg"
    assert in_picture("<source data-srcset='/img/a.webp'>", "src='data:image/gif;base64,R0lGOD'") == \
        "https://news.example/img/a.webp"


def test_a_lazy_loaders_data_lazy_srcset_names_the_picture():
    assert img("src='/spacer.gif' data-lazy-srcset='/img/a-1200.jpg 1200w, /img/a-600.jpg 600w'") == \
        "https://news.example/img/a-1200.jpg"

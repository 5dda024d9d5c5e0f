from __future__ import annotations

import pytest

from tasks.charset import decode_html

CYRILLIC = "<html><body><p>Правительство объявило о новых мерах поддержки экономики региона.</p></body></html>"


@pytest.mark.parametrize("codec", ["rot13", "rot_13", "base64", "zlib", "hex", "bz2", "uu", "quopri"])
def test_a_meta_charset_naming_a_codec_that_is_not_a_text_encoding_falls_back_to_the_bytes(codec):
    page = f'<html><head><meta charset="{codec}"></head><body><p>Caf\u00e9 cr\u00e8me</p></body></html>'
    text, encoding = decode_html(page.encode("utf-8"), "text/html")
    assert "Café crème" in text and encoding == "utf-8"
    latin = page.encode("cp1252")
    text, encoding = decode_html(latin, f"text/html; charset={codec}")
    assert "Café crème" in text and encoding != codec


def test_whatwg_aliases_name_the_superset_browsers_decode_with():
    # gb2312 pages routinely hold characters only GBK/gb18030 have; U+20000 is gb18030's alone (four bytes)
    text = "<p>\u9555\u57fa\U00020000</p>"  # not in GB2312
    for label in ("gb2312", "gbk", "x-gbk"):
        data = f'<meta charset="{label}">'.encode() + text.encode("gb18030")
        decoded, encoding = decode_html(data)
        assert decoded.endswith(text) and encoding == "gb18030"
    assert decode_html(b"<p>caf\xe9</p>", "text/html; charset=ISO-8859-1") == ("<p>café</p>", "cp1252")
    assert decode_html(b"<p>\x80</p>", "text/html; charset=us-ascii") == ("<p>\u20ac</p>", "cp1252")


def test_utf7_is_refused_as_a_label():
    """UTF-7 turns inert ASCII into markup; browsers dropped it, and so do we."""
    data = b"<p>+ADw-script+AD4-alert(1)+ADw-/script+AD4-</p>"
    text, encoding = decode_html(data, "text/html; charset=utf-7")
    assert "<script>" not in text and encoding == "utf-8"


def test_an_unlabelled_page_is_measured():
    text, encoding = decode_html(CYRILLIC.encode("cp1251"))
    assert text == CYRILLIC and encoding == "cp1251"
    text, encoding = decode_html(CYRILLIC.encode("koi8-r"))
    assert text == CYRILLIC
    polish = "<p>Zażółć gęślą jaźń, powiedział minister.</p>"
    assert decode_html(polish.encode("cp1250")) == (polish, "cp1250")


@pytest.mark.parametrize("text", ["<p>Caf\u00e9 cr\u00e8me</p>", "<p>\u00d6ffentliche Verkehrsmittel fahren heute sp\u00e4ter.</p>"])
def test_windows_1252_wins_a_tie_on_a_short_western_sample(text):
    assert decode_html(text.encode("cp1252")) == (text, "cp1252")


def test_a_wrong_label_gives_way_to_the_bytes():
    # labelled UTF-8 but not UTF-8 at all: browsers keep the label, so do we
    text, encoding = decode_html("<p>Café</p>".encode("cp1252"), "text/html; charset=utf-8")
    assert encoding == "utf-8" and text == "<p>Caf\ufffd</p>"
    # labelled EUC-JP, bytes that EUC-JP cannot decode: the meta label is tried next
    data = '<meta charset="windows-1251"><p>Привет</p>'.encode("cp1251")
    text, encoding = decode_html(data, "text/html; charset=euc-jp")
    assert text.endswith("<p>Привет</p>") and encoding == "cp1251"


def test_the_byte_order_mark_wins_over_every_label():
    data = "\ufeff<p>Caf\u00e9</p>".encode("utf-16-le")
    assert decode_html(data, "text/html; charset=iso-8859-1") == ("<p>Café</p>", "utf-16-le")


@pytest.mark.parametrize("label", ["iso-8859-15", "windows-1252", "iso-8859-2", "koi8-r", "windows-1251"])
def test_valid_utf8_under_any_single_byte_label_is_utf8(label):
    page = f'<meta http-equiv="Content-Type" content="text/html; charset={label}"><p>a 70 kilómetros, Привет</p>'
    assert decode_html(page.encode("utf-8")) == (page, "utf-8")


def test_a_multibyte_label_is_kept_over_bytes_that_are_also_utf8():
    # Shift_JIS (read as its superset cp932) is no single-byte code page: its label stands.
    page = '<meta charset="shift_jis"><p>\u00e9</p>'.encode("utf-8")
    assert decode_html(page)[1] == "cp932"

from django.utils import translation

from interra.core.i18n import clean_localized, is_rtl, localized, pick_language


def test_localized_prefers_the_reader_then_french_then_english_then_anything():
    value = {"ar": "طبخ", "en": "Cooking", "fr": "Cuisine"}
    assert localized(value, "ar") == "طبخ"
    assert localized(value, "uk") == "Cuisine"
    assert localized({"en": "Cooking", "fa": "آشپزی"}, "uk") == "Cooking"
    assert localized({"fa": "آشپزی"}, "fr") == "آشپزی"
    assert localized({}, "fr") == ""
    assert localized(None) == ""
    with translation.override("ar"):
        assert localized(value) == "طبخ"


def test_blank_translations_do_not_count():
    assert pick_language({"ar": "  ", "fr": "Cuisine"}, "ar") == "fr"


def test_clean_localized_drops_unknown_languages_and_blanks():
    assert clean_localized({"fr": " Cuisine ", "xx": "?", "ar": "", "en": 3}) == {"fr": "Cuisine"}


def test_rtl_languages():
    assert all(is_rtl(code) for code in ("ar", "fa", "ps"))
    assert not any(is_rtl(code) for code in ("fr", "uk", "ti", None))

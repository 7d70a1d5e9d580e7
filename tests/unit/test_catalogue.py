"""The catalogue itself: every message formats in both languages. That no text bypasses it
(inline sentences, unknown keys, wording chosen by language) is checked on the syntax tree
by tests/unit/test_no_inline_text.py."""

import string

from i18n.catalogue import all_keys, normalise_lang, t


def test_every_message_formats_in_both_languages() -> None:
    formatter = string.Formatter()
    for key, texts in all_keys().items():
        names = {
            name.split(".")[0].split("[")[0]
            for text in texts.values()
            for _, name, _, _ in formatter.parse(text)
            if name
        }
        params = dict.fromkeys(names, 1)  # a number fits every format spec used
        for lang in ("zh", "en"):
            assert texts[lang].strip(), key
            t(key, lang, **params)


def test_telegram_language_codes_map_to_the_languages_we_speak() -> None:
    assert normalise_lang("en-US") == "en"
    assert normalise_lang("zh-hans") == "zh"
    assert normalise_lang("fr", default="en") == "en"
    assert normalise_lang(None) == "zh"


def test_messages_are_formatted_with_their_parameters() -> None:
    expected = "“soon” is not a date; write YYYY-MM-DD, e.g. 2026-03-05."
    assert t("error.bad_date", "en", value="soon") == expected

import re
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


def test_no_handler_or_domain_module_sends_inline_chinese_text() -> None:
    """User-facing text lives in the catalogue: code outside i18n/ holds no Chinese sentences."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    han = re.compile(r"[\u4e00-\u9fff]{2,}")
    offenders = []
    for folder in ("bot", "missions", "insurance", "training"):
        for path in (root / folder).rglob("*.py"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                stripped = line.strip()
                if stripped.startswith("#") or not han.search(line):
                    continue
                if "reply_text(" in line or "send_message(" in line:
                    offenders.append(f"{path.name}:{number}")
    assert not offenders

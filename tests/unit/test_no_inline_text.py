"""Every text a person reads comes from the catalogue. The syntax tree is read, so a literal
is caught whatever line it sits on:

1. no sentence is written inline where it is sent to a chat (`reply_text`, `send_message`,
   `answer`, `edit_message_text`, `caption=`, `text=`, a button's label) or shown by the
   command line (argparse `help=`, `description=`, `epilog=`, `usage=`, `title=`). A literal
   counts as text when it holds a letter outside its `{…}` fields; punctuation, emoji,
   empty strings and format-only strings such as "{}\\n{}" are not text;
2. the modules that render what people read (`RENDERERS`: boards, reports, the dashboard
   page, handlers, the CLI, exports) hold no worded literal at all — two words, or Chinese —
   outside the catalogue, wherever it goes (`lines.append(...)`, `return f"..."`);
3. a catalogue key written as a literal (`t("key", …)`, `DomainError("key")`,
   `require(ok, "key")`, `reply(update, actor, "key")`) exists in the catalogue, so a
   sentence passed where a key belongs fails here, not on a volunteer's screen;
4. no code tests the reader's language (`lang == "zh"`) to choose wording: names come from
   `i18n/labels.py` (`label`, `bilingual`, `join`) and sentences from the catalogue.

Exemptions are few and named: `ALLOWED` (rules 1-2), `LANGUAGE_TESTS_ALLOWED` (rule 4).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from i18n.catalogue import all_keys

ROOT = Path(__file__).resolve().parents[2]
# The code that talks to people. sandbox/ and benchmarks/ stand in for Telegram and its users.
PACKAGES = ("bot", "dashboard", "roster", "training", "insurance", "missions", "reports")
PACKAGES += ("common", "storage")
# Methods whose positional argument at this index (or text=) is what the reader sees.
SENDING = {
    "reply_text": 0,
    "send_message": 1,  # (chat_id, text)
    "answer": 0,
    "edit_message_text": 0,
    "edit_text": 0,
    "reply_html": 0,
    "reply_markdown": 0,
    "InlineKeyboardButton": 0,  # a button's label
    "KeyboardButton": 0,
}
SHOWN_KEYWORDS = {"caption", "help", "text"}
ARGPARSE_TEXT = {"description", "epilog", "usage", "title"}
ARGPARSE_CALLS = ("ArgumentParser", "add_parser", "add_subparsers", "add_argument_group")
# (file, literal) pairs that are text on purpose; say why next to each. Keep it short.
ALLOWED: set[tuple[str, str]] = set()

# Modules whose job is the text people read. Rule 2 applies to every literal in them.
RENDERERS = (
    "bot/handlers/*.py",
    "bot/callout_dialog.py",
    "bot/callout_adapter.py",
    "bot/errors.py",
    "bot/cli.py",
    "bot/demo.py",
    "bot/reporting.py",
    "dashboard/page.py",
    "dashboard/board.py",
    "missions/render.py",
    "missions/team_boards.py",
    "reports/render.py",
    "reports/model.py",
    "roster/exporter.py",
    "training/exporter.py",
    "insurance/exporter.py",
)
# Files that may compare a language code (rule 4); say why next to each.
LANGUAGE_TESTS_ALLOWED = {
    # Chooses the chart's font, not its wording: Chinese falls back to English without one.
    "reports/chart.py",
    # Its board text's list separator; the board's text is being reworked for its cost (issue 7).
    "missions/render.py",
}
# Calls whose literal arguments are not read by people, or are read as catalogue keys.
_LOGGING = {"debug", "info", "warning", "error", "exception", "critical", "log"}
_TYPED_INPUT = {"startswith", "endswith", "removeprefix", "removesuffix", "split", "partition"}
_SQL = {"fetchall", "fetchone", "execute", "executemany"}
_KEY_TAKERS = {"t", "has", "label", "DomainError", "NotAllowed", "require", "reply"}
# Where each key-taking call carries its catalogue key (rule 3).
KEY_POSITION = {"t": 0, "DomainError": 0, "NotAllowed": 0, "require": 1, "reply": 2}
_CHINESE = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[A-Za-z]{2,}")


def _is_text(node: ast.expr) -> str | None:
    """The literal's source if it reads as words, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        parts = [node.value]
    elif isinstance(node, ast.JoinedStr):
        parts = [v.value for v in node.values if isinstance(v, ast.Constant)]
    else:
        return None
    if any(ch.isalpha() for part in parts for ch in str(part)):
        return ast.unparse(node)
    return None


def _shown_literals(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        shown: list[ast.expr] = [k.value for k in node.keywords if k.arg in SHOWN_KEYWORDS]
        if name in SENDING and len(node.args) > SENDING[name]:
            shown.append(node.args[SENDING[name]])
        if name in ARGPARSE_CALLS:
            shown += [k.value for k in node.keywords if k.arg in ARGPARSE_TEXT]
        for value in shown:
            text = _is_text(value)
            if text is not None:
                found.append((value.lineno, text))
    return sorted(found)


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _reads_as_words(text: str) -> bool:
    """Chinese, or at least two words of letters: a sentence, not a code or a key."""
    bare = re.sub(r"\{[^{}]*\}", "", text)
    words = [token for token in bare.split() if _WORD.search(token)]
    return bool(_CHINESE.search(bare)) or len(words) >= 2


def _exempt_nodes(tree: ast.AST) -> set[int]:
    """Literals no reader sees: docstrings, log lines, exception texts, what is compared
    with typed input, catalogue keys and typed chat commands."""
    exempt: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            exempt.add(id(body[0].value))  # a docstring (or a bare expression)
        if isinstance(node, ast.Call):
            name = _call_name(node)
            quiet = name in _LOGGING | _TYPED_INPUT | _KEY_TAKERS | _SQL
            if quiet or name.endswith(("Error", "Exception")):
                exempt.update(id(inner) for inner in ast.walk(node))
        elif isinstance(node, ast.Compare):
            exempt.update(id(inner) for inner in ast.walk(node))
    return exempt


def worded_literals(tree: ast.AST) -> list[tuple[int, str]]:
    """Rule 2: every literal that reads as words and is not exempt."""
    exempt = _exempt_nodes(tree)
    found = []
    for node in ast.walk(tree):
        if id(node) in exempt:
            continue
        if isinstance(node, ast.JoinedStr):
            exempt.update(id(value) for value in node.values)
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if not text.startswith("/") and _reads_as_words(str(text)):
            found.append((node.lineno, ast.unparse(node)))
    return sorted(found)


def unknown_keys(tree: ast.AST, known: set[str] | dict[str, object]) -> list[tuple[int, str]]:
    """Rule 3: literal catalogue keys that the catalogue does not have."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _call_name(node) not in KEY_POSITION:
            continue
        position = KEY_POSITION[_call_name(node)]
        args = node.args[position : position + 1] + [
            k.value for k in node.keywords if k.arg == "key"
        ]
        for arg in args:
            literal = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            if literal and arg.value not in known:
                found.append((arg.lineno, arg.value))
    return sorted(found)


def language_tests(tree: ast.AST) -> list[int]:
    """Rule 4: lines comparing something named `lang` with "zh" or "en"."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        names = [ast.unparse(side) for side in sides if not isinstance(side, ast.Constant)]
        codes = [side.value for side in sides if isinstance(side, ast.Constant)]
        if any(n.split(".")[-1].endswith("lang") for n in names) and {"zh", "en"} & set(codes):
            found.append(node.lineno)
    return found


def _sources() -> list[tuple[str, ast.AST]]:
    trees = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            trees.append((relative, ast.parse(path.read_text(encoding="utf-8"), relative)))
    return trees


def _renderers() -> set[str]:
    return {p.relative_to(ROOT).as_posix() for g in RENDERERS for p in ROOT.glob(g)}


def _offenders() -> list[str]:
    offenders = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=relative)
            for line, text in _shown_literals(tree):
                if (relative, text) not in ALLOWED:
                    offenders.append(f"{relative}:{line}: {text}")
    return offenders


def test_no_text_is_sent_to_a_chat_or_shown_by_the_cli_without_the_catalogue() -> None:
    assert _offenders() == []


def test_every_renderer_is_a_module_that_exists() -> None:
    for pattern in RENDERERS:
        assert list(ROOT.glob(pattern)), pattern


def test_the_modules_that_render_text_hold_no_worded_literal() -> None:
    renderers = _renderers()
    offenders = [
        f"{path}:{line}: {text}"
        for path, tree in _sources()
        if path in renderers
        for line, text in worded_literals(tree)
        if (path, text) not in ALLOWED
    ]
    assert offenders == []


def test_every_catalogue_key_written_in_the_code_exists() -> None:
    known = all_keys()
    offenders = [
        f"{path}:{line}: {key}"
        for path, tree in _sources()
        for line, key in unknown_keys(tree, known)
    ]
    assert offenders == []


def test_no_code_chooses_its_wording_by_testing_the_language() -> None:
    offenders = [
        f"{path}:{line}"
        for path, tree in _sources()
        if path not in LANGUAGE_TESTS_ALLOWED
        for line in language_tests(tree)
    ]
    assert offenders == []


PLANTED_RENDERER = """
def board_text(callout, lang):
    \"\"\"A docstring is not read by people.\"\"\"
    log.info("board redrawn for callout %s", callout.id)
    lines = [t("board.title", lang, id=callout.id)]
    lines.append(f"{callout.confirmed} people confirmed")
    lines.append("已确认")
    if word.startswith(("need=", "名额=")):
        lines.append(" / ".join(names))
    if lang == "zh":
        lines.append("、")
    raise DomainError("Something went wrong")
    return "\\n".join(lines)
"""


def test_the_guard_fails_on_words_written_inline_in_a_renderer() -> None:
    found = [text for _, text in worded_literals(ast.parse(PLANTED_RENDERER))]
    assert found == ["f'{callout.confirmed} people confirmed'", "'已确认'"]


def test_the_guard_fails_on_a_sentence_passed_where_a_key_belongs() -> None:
    found = [key for _, key in unknown_keys(ast.parse(PLANTED_RENDERER), all_keys())]
    assert found == ["Something went wrong"]


def test_the_guard_fails_on_wording_chosen_by_language() -> None:
    assert language_tests(ast.parse(PLANTED_RENDERER)) == [10]


def test_the_real_tree_would_fail_if_one_inline_sentence_were_added() -> None:
    """The whole check, run on a renderer as it is plus one planted line, finds that line."""
    source = (ROOT / "reports/render.py").read_text(encoding="utf-8")
    planted = source + '\n\ndef planted(lang):\n    return "Missions this year"\n'
    assert worded_literals(ast.parse(source)) == []
    assert [text for _, text in worded_literals(ast.parse(planted))] == ["'Missions this year'"]


def test_the_check_catches_inline_text_and_lets_punctuation_through() -> None:
    source = """
await message.reply_text("Done!")
await bot.send_message(chat_id, f"{name} 已确认")
await query.answer("✅")
await bot.send_document(chat_id, document, caption="")
parser.add_argument("--x", help="what x is")
await message.reply_text(t("key", lang))
await message.reply_text("{}\\n{}".format(a, b))
InlineKeyboardButton("Go", callback_data="cd:1:go")
"""
    found = [text for _, text in _shown_literals(ast.parse(source))]
    assert found == ["'Done!'", "f'{name} 已确认'", "'what x is'", "'Go'"]


def test_the_check_catches_every_argparse_text_written_inline() -> None:
    """The command line's help is read as much as a chat message: each place argparse shows
    text is checked (`help=` anywhere; `description=`, `epilog=`, `usage=`, `title=` on
    parsers, sub-parsers and groups), and the catalogue's `h(key)` passes."""
    source = """
parser = argparse.ArgumentParser(prog="rescuebot", description="Run the bot", epilog="See docs")
sub = parser.add_subparsers(dest="command", title="Commands", description="What to do")
run = sub.add_parser("run", help="Start the bot", usage="rescuebot run [options]")
group = run.add_argument_group("net", description="Network options")
run.add_argument("--port", type=int, default=8443, metavar="PORT", help="the port")
ok = sub.add_parser("init", help=h("init"), description=h("init"))
"""
    found = [text for _, text in _shown_literals(ast.parse(source))]
    assert found == [
        "'Run the bot'",
        "'See docs'",
        "'Commands'",
        "'What to do'",
        "'Start the bot'",
        "'rescuebot run [options]'",
        "'Network options'",
        "'the port'",
    ]

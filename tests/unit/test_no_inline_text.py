"""Every text a person reads comes from the catalogue: no sentence is written inline where it
is sent to a chat (`reply_text`, `send_message`, `answer`, `edit_message_text`, `caption=`,
`text=`, a button's label) or shown by the command line (argparse `help=`, `description=`).

The check reads the syntax tree, so a literal is caught whatever line it sits on. A literal
counts as text when it holds a letter outside its `{…}` fields; punctuation, emoji, empty
strings and format-only strings such as "{}\\n{}" are not text.
"""

from __future__ import annotations

import ast
from pathlib import Path

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
ARGPARSE_TEXT = {"description", "epilog"}
# (file, literal) pairs that are text on purpose; say why next to each. Keep it short.
ALLOWED: set[tuple[str, str]] = set()


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
        if name in ("ArgumentParser", "add_parser", "add_argument_group"):
            shown += [k.value for k in node.keywords if k.arg in ARGPARSE_TEXT]
        for value in shown:
            text = _is_text(value)
            if text is not None:
                found.append((value.lineno, text))
    return sorted(found)


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

"""The attendee buttons of `/training add`: the team as toggles (✅ attended), a page at a
time, and Done. The press is handled in `bot/handlers/training.py`."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from i18n.catalogue import t
from roster.model import Volunteer

CALLBACK_PREFIX = "tr"
PAGE_SIZE = 45  # 15 rows of 3: with the navigation and Done rows, under Telegram's 100 buttons


def attendee_keyboard(
    session_id: int, members: list[Volunteer], present: set[int], page: int, lang: str
) -> InlineKeyboardMarkup:
    pages = max(1, -(-len(members) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    chunk = members[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    rows: list[list[InlineKeyboardButton]] = []
    for i in range(0, len(chunk), 3):
        rows.append(
            [
                InlineKeyboardButton(
                    ("✅ " if v.id in present else "▫️ ") + v.name,
                    # tr:<session>:<volunteer>:<page> stays far below Telegram's 64 bytes.
                    callback_data=f"{CALLBACK_PREFIX}:{session_id}:{v.id}:{page}",
                )
                for v in chunk[i : i + 3]
            ]
        )
    nav = []
    if page > 0:
        nav.append(
            InlineKeyboardButton(
                t("training.prev_button", lang),
                callback_data=f"{CALLBACK_PREFIX}:{session_id}:p:{page - 1}",
            )
        )
    if page < pages - 1:
        nav.append(
            InlineKeyboardButton(
                t("training.next_button", lang),
                callback_data=f"{CALLBACK_PREFIX}:{session_id}:p:{page + 1}",
            )
        )
    if nav:
        rows.append(nav)
    rows.append(
        [
            InlineKeyboardButton(
                t("training.done_button", lang),
                callback_data=f"{CALLBACK_PREFIX}:{session_id}:done:0",
            )
        ]
    )
    return InlineKeyboardMarkup(rows)

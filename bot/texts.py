"""Sending text that may exceed Telegram's 4096-character limit."""

from __future__ import annotations

from telegram import Message

LIMIT = 4096


def split_text(text: str, limit: int = LIMIT) -> list[str]:
    """Split on line boundaries into chunks Telegram accepts; a single overlong line is cut."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current or not chunks:
        chunks.append(current)
    return chunks


async def send_long(message: Message, text: str) -> None:
    for chunk in split_text(text):
        await message.reply_text(chunk)

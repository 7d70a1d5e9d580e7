"""Schema addition: the language each person's Telegram app is set to.

Remembered from their last message or tap, so that what the bot sends on its own
(pages, board redraws, reminders) is in that language for people who never chose
one with /lang. A /lang choice (user_languages) still wins.
"""

TELEGRAM_LANGUAGES = """
CREATE TABLE telegram_languages (
    telegram_id INTEGER PRIMARY KEY,
    language    TEXT NOT NULL CHECK (language IN ('zh','en'))
);
"""

"""Messages a stop cut short: saved at a graceful stop, sent at the next start.

- unsent_messages: a notice, reminder or answer still waiting for Telegram (a long 429
  pause, thousands queued at the free pace, an outage) when the bot stopped. The next
  start sends each one that is still wanted and deletes it.
"""

UNSENT_MESSAGES = """
CREATE TABLE unsent_messages (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL,
    text        TEXT NOT NULL,
    buttons     TEXT,
    reply_to    INTEGER,
    callout_id  INTEGER,
    latitude    REAL,
    longitude   REAL,
    asked_at    TEXT NOT NULL
);
"""

"""Schema version 3: additions for callouts and missions.

- responses.language: the language a volunteer was paged in, so a tap is answered
  in it without looking the person up again (taps must be answered at once).
- callout_drafts: the step-by-step /callout dialog, a shared map point and a
  request held back by the duplicate guard, kept in the database so buttons
  still work after a restart.
"""

CALLOUTS_V3 = """
ALTER TABLE responses ADD COLUMN language TEXT;
CREATE INDEX responses_by_state ON responses(callout_id, state);
CREATE TABLE callout_drafts (
    id          INTEGER PRIMARY KEY,
    telegram_id INTEGER NOT NULL,
    step        TEXT NOT NULL,
    data        TEXT NOT NULL DEFAULT '{}',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX callout_drafts_by_user ON callout_drafts(telegram_id, step);
CREATE INDEX missions_by_type ON missions(type, started_at)
"""

"""Incident operations: on scene, safety checks, the return and honest hours.

- responses: when a responder reached the scene and got home, the need-help flag, who
  recorded the answer (NULL: the volunteer; else the Telegram id of the leader who took it
  by phone), their last known position, and when they were asked to confirm home safe.
- callouts: the per-callout safety-check interval (NULL: the setting; 0: off), the next
  round, and the return phase after /close (started, alert stage, everyone home).
- safety_checks: every I'm OK / Need help question sent, so checks survive restarts.
- mission_participants: the hours the bot counted and the hours the volunteer confirmed;
  `hours` stays the figure reports read (confirmed where it exists, else counted).
"""

INCIDENT = """
ALTER TABLE responses ADD COLUMN on_scene_at TEXT;
ALTER TABLE responses ADD COLUMN home_safe_at TEXT;
ALTER TABLE responses ADD COLUMN need_help_at TEXT;
ALTER TABLE responses ADD COLUMN recorded_by INTEGER;
ALTER TABLE responses ADD COLUMN latitude REAL;
ALTER TABLE responses ADD COLUMN longitude REAL;
ALTER TABLE responses ADD COLUMN position_at TEXT;
ALTER TABLE responses ADD COLUMN home_asked_at TEXT;
ALTER TABLE callouts ADD COLUMN check_minutes REAL;
ALTER TABLE callouts ADD COLUMN next_check_at TEXT;
ALTER TABLE callouts ADD COLUMN return_started_at TEXT;
ALTER TABLE callouts ADD COLUMN return_stage INTEGER NOT NULL DEFAULT 0;
ALTER TABLE callouts ADD COLUMN return_done_at TEXT;
CREATE INDEX callouts_returning ON callouts(return_done_at, return_started_at);
CREATE TABLE safety_checks (
    id           INTEGER PRIMARY KEY,
    callout_id   INTEGER NOT NULL REFERENCES callouts(id) ON DELETE CASCADE,
    volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
    sent_at      TEXT NOT NULL,
    chat_id      INTEGER,
    message_id   INTEGER,
    answered_at  TEXT,
    answer       TEXT CHECK (answer IN ('ok','help')),
    stage        INTEGER NOT NULL DEFAULT 0  -- 1: leaders alerted, 2: coordinators too
);
CREATE INDEX safety_checks_open ON safety_checks(callout_id, answered_at);
ALTER TABLE mission_participants ADD COLUMN counted_hours REAL;
ALTER TABLE mission_participants ADD COLUMN confirmed_hours REAL;
ALTER TABLE mission_participants ADD COLUMN correcting_since TEXT;
ALTER TABLE mission_participants ADD COLUMN recorded_by INTEGER;
UPDATE mission_participants SET counted_hours = hours
"""

"""Numbered schema migrations, tracked with `PRAGMA user_version`.

Each entry runs in one transaction, so a failed upgrade leaves the previous
version intact. Append new migrations; never edit one that has shipped.
"""

from __future__ import annotations

from storage.migration_callouts import CALLOUTS_V3
from storage.migration_dashboard import DASHBOARD_KEYS
from storage.migration_hardening import TELEGRAM_LANGUAGES
from storage.migration_incident import INCIDENT
from storage.migration_multiteam import MULTITEAM, MULTITEAM_BOARDS, MULTITEAM_ESCALATION
from storage.migration_records import RECORDS_V2
from storage.migration_scale import SCALE_BOARD
from storage.migration_unsent import UNSENT_MESSAGES

MIGRATIONS: list[str] = [
    # 1: the whole data model: teams, people, skills, policies, training, missions.
    """
    CREATE TABLE teams (
        code  TEXT PRIMARY KEY,
        name  TEXT NOT NULL UNIQUE,
        focus TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE skills (
        code           TEXT PRIMARY KEY,
        label_zh       TEXT NOT NULL,
        label_en       TEXT NOT NULL,
        validity_years INTEGER            -- NULL: does not expire
    );
    CREATE TABLE volunteers (
        id          INTEGER PRIMARY KEY,
        team_code   TEXT NOT NULL REFERENCES teams(code),
        name        TEXT NOT NULL,
        phone       TEXT NOT NULL UNIQUE,  -- E.164
        role        TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member','deputy','leader')),
        telegram_id INTEGER UNIQUE,
        language    TEXT CHECK (language IN ('zh','en')),
        active      INTEGER NOT NULL DEFAULT 1,
        away_until  TEXT,                  -- YYYY-MM-DD, inclusive
        birth_date  TEXT,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
    );
    CREATE INDEX volunteers_team ON volunteers(team_code);
    CREATE TABLE volunteer_skills (
        volunteer_id INTEGER NOT NULL REFERENCES volunteers(id) ON DELETE CASCADE,
        skill_code   TEXT NOT NULL REFERENCES skills(code),
        certified_on TEXT,
        expires_on   TEXT,
        PRIMARY KEY (volunteer_id, skill_code)
    );
    CREATE TABLE coordinators (
        telegram_id INTEGER PRIMARY KEY,
        name        TEXT NOT NULL DEFAULT '',
        granted_at  TEXT NOT NULL
    );
    CREATE TABLE user_languages (
        telegram_id INTEGER PRIMARY KEY,
        language    TEXT NOT NULL CHECK (language IN ('zh','en'))
    );
    CREATE TABLE invites (
        code         TEXT PRIMARY KEY,
        volunteer_id INTEGER NOT NULL REFERENCES volunteers(id) ON DELETE CASCADE,
        created_by   INTEGER NOT NULL,
        created_at   TEXT NOT NULL,
        used_by      INTEGER,
        used_at      TEXT
    );
    CREATE TABLE insurance_policies (
        id           INTEGER PRIMARY KEY,
        volunteer_id INTEGER NOT NULL REFERENCES volunteers(id) ON DELETE CASCADE,
        insurer      TEXT NOT NULL DEFAULT '',
        policy_no    TEXT NOT NULL DEFAULT '',
        coverage     REAL,
        start_date   TEXT NOT NULL,
        end_date     TEXT NOT NULL,
        UNIQUE (volunteer_id, policy_no, start_date)
    );
    CREATE INDEX insurance_by_volunteer ON insurance_policies(volunteer_id, end_date);
    CREATE TABLE training_sessions (
        id         INTEGER PRIMARY KEY,
        team_code  TEXT NOT NULL REFERENCES teams(code),
        date       TEXT NOT NULL,
        title      TEXT NOT NULL,
        kind       TEXT NOT NULL DEFAULT 'other',
        hours      REAL NOT NULL,
        created_by INTEGER,
        UNIQUE (team_code, date, title)
    );
    CREATE INDEX training_by_date ON training_sessions(date);
    CREATE TABLE training_attendance (
        session_id   INTEGER NOT NULL REFERENCES training_sessions(id) ON DELETE CASCADE,
        volunteer_id INTEGER NOT NULL REFERENCES volunteers(id) ON DELETE CASCADE,
        PRIMARY KEY (session_id, volunteer_id)
    );
    CREATE TABLE fitness_tests (
        id           INTEGER PRIMARY KEY,
        volunteer_id INTEGER NOT NULL REFERENCES volunteers(id) ON DELETE CASCADE,
        date         TEXT NOT NULL,
        results      TEXT NOT NULL,        -- JSON: {item: {"value": .., "passed": bool}}
        passed       INTEGER NOT NULL,
        UNIQUE (volunteer_id, date)
    );
    CREATE INDEX fitness_by_volunteer ON fitness_tests(volunteer_id, date);
    CREATE TABLE callouts (
        id               INTEGER PRIMARY KEY,
        type             TEXT NOT NULL,
        teams            TEXT NOT NULL,    -- JSON list of team codes
        skills           TEXT NOT NULL DEFAULT '[]',
        needed           INTEGER NOT NULL CHECK (needed > 0),
        location         TEXT NOT NULL DEFAULT '',
        latitude         REAL,
        longitude        REAL,
        description      TEXT NOT NULL DEFAULT '',
        require_fitness  INTEGER NOT NULL DEFAULT 0,
        called_by        INTEGER NOT NULL, -- Telegram id of the caller
        board_chat_id    INTEGER,
        board_message_id INTEGER,
        status           TEXT NOT NULL DEFAULT 'open'
                         CHECK (status IN ('open','filled','closed','cancelled')),
        created_at       TEXT NOT NULL,
        filled_at        TEXT,
        ended_at         TEXT,
        escalation_stage INTEGER NOT NULL DEFAULT 0,
        escalate_at      TEXT,             -- next escalation deadline (UTC ISO)
        cancel_reason    TEXT
    );
    CREATE INDEX callouts_status ON callouts(status);
    CREATE TABLE responses (
        callout_id   INTEGER NOT NULL REFERENCES callouts(id) ON DELETE CASCADE,
        volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
        state        TEXT NOT NULL CHECK (state IN
                     ('paged','undeliverable','available','standby','unavailable','no_reply')),
        eta_minutes  INTEGER,
        reason       TEXT,
        chat_id      INTEGER,
        message_id   INTEGER,
        paged_at     TEXT NOT NULL,
        answered_at  TEXT,
        confirmed_at TEXT,
        PRIMARY KEY (callout_id, volunteer_id)
    );
    CREATE TABLE callout_exclusions (
        callout_id   INTEGER NOT NULL REFERENCES callouts(id) ON DELETE CASCADE,
        volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
        reason       TEXT NOT NULL,
        detail       TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (callout_id, volunteer_id)
    );
    CREATE TABLE missions (
        id          INTEGER PRIMARY KEY,
        callout_id  INTEGER UNIQUE REFERENCES callouts(id),
        type        TEXT NOT NULL,
        teams       TEXT NOT NULL,         -- JSON list of team codes
        started_at  TEXT NOT NULL,
        ended_at    TEXT NOT NULL,
        location    TEXT NOT NULL DEFAULT '',
        rescued     INTEGER NOT NULL DEFAULT 0,
        outcome     TEXT NOT NULL DEFAULT '',
        notes       TEXT NOT NULL DEFAULT '',
        created_by  INTEGER
    );
    CREATE INDEX missions_by_start ON missions(started_at);
    CREATE TABLE mission_participants (
        mission_id   INTEGER NOT NULL REFERENCES missions(id) ON DELETE CASCADE,
        volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
        hours        REAL NOT NULL,
        PRIMARY KEY (mission_id, volunteer_id)
    );
    CREATE TABLE reminders_sent (
        kind     TEXT NOT NULL,
        key      TEXT NOT NULL,
        sent_at  TEXT NOT NULL,
        PRIMARY KEY (kind, key)
    );
    CREATE TABLE audit_log (
        id      INTEGER PRIMARY KEY,
        at      TEXT NOT NULL,
        actor   INTEGER,                   -- Telegram id; NULL: the command line or the bot
        action  TEXT NOT NULL,
        detail  TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX audit_by_time ON audit_log(at);
    """,
    # 2: records (insurance, training, fitness) additions.
    RECORDS_V2,
    # 3: callout additions.
    CALLOUTS_V3,
    # the dashboard's signing key (links and sessions).
    DASHBOARD_KEYS,
    # incident operations: on scene, safety checks, the return, counted/confirmed hours.
    INCIDENT,
    # The language of each person's Telegram app (for messages the bot starts).
    TELEGRAM_LANGUAGES,
    # Several teams on one incident: quotas, slots (storage/migration_multiteam.py).
    MULTITEAM,
    # Several teams: each team's leaders get a board of their part.
    MULTITEAM_BOARDS,
    # Several teams: escalation goes on (reminders for later pages, repeated alerts, mute).
    MULTITEAM_ESCALATION,
    # City scale: who is on scene, found by index (storage/migration_scale.py).
    SCALE_BOARD,
    # Messages a stop cut short, sent at the next start (storage/migration_unsent.py).
    UNSENT_MESSAGES,
]

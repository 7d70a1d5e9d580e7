"""Several teams on one incident.

- callouts.quotas: JSON {team: places} (`team=HR:3,QM:3`; {} when the callout has one
  headcount); callouts.slots: JSON {skill: places} (`need=boat:2`) within the headcount.
- callouts.parts: JSON {team: {"by": telegram id, "place": note, "needed": n}} for the
  teams that joined the callout through the duplicate guard, each its own part.
- callouts.last_update_at: when the last /update went to the responders (the board shows it).
- responses.slot_skills: JSON list of the callout's slot skills the person held (valid)
  when paged, so a tap can place them without reading the roster.
"""

MULTITEAM = """
ALTER TABLE callouts ADD COLUMN quotas TEXT NOT NULL DEFAULT '{}';
ALTER TABLE callouts ADD COLUMN slots TEXT NOT NULL DEFAULT '{}';
ALTER TABLE callouts ADD COLUMN parts TEXT NOT NULL DEFAULT '{}';
ALTER TABLE callouts ADD COLUMN last_update_at TEXT;
ALTER TABLE responses ADD COLUMN slot_skills TEXT NOT NULL DEFAULT '[]';
"""

# Team boards: for a callout of several teams, each team's leaders and deputies get a board
# of their team's part (edited in place like the caller's).
MULTITEAM_BOARDS = """
CREATE TABLE team_boards (
    callout_id  INTEGER NOT NULL REFERENCES callouts(id) ON DELETE CASCADE,
    telegram_id INTEGER NOT NULL,
    team_code   TEXT NOT NULL,
    message_id  INTEGER NOT NULL,
    PRIMARY KEY (callout_id, telegram_id)
);
-- One person, one incident: is this person confirmed on another open callout?
CREATE INDEX responses_by_volunteer ON responses(volunteer_id, state);
"""

# Escalation that keeps going: coordinators muting a callout's repeated alerts, and who was
# reminded already (so people paged later, by Widen or a join, get their own reminder).
MULTITEAM_ESCALATION = """
ALTER TABLE callouts ADD COLUMN escalation_muted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE responses ADD COLUMN reminded_at TEXT;
"""

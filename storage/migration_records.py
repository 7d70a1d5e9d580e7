"""Schema version 2: additions for insurance, training and fitness records.

The v1 tables already hold the records; these indexes keep the per-volunteer
and per-team reports and the daily reminder scan fast on ten years of data.
"""

RECORDS_V2 = """
CREATE INDEX IF NOT EXISTS training_attendance_by_volunteer
    ON training_attendance(volunteer_id);
CREATE INDEX IF NOT EXISTS training_by_team_date ON training_sessions(team_code, date);
CREATE INDEX IF NOT EXISTS volunteer_skills_by_expiry ON volunteer_skills(expires_on);
CREATE INDEX IF NOT EXISTS reminders_by_time ON reminders_sent(sent_at)
"""

"""The dashboard's signing key: one row, created on first use.

`secret` signs wall-screen and personal links; `revoked_at` refuses Telegram
sessions (initData) signed before it. `rescuebot dashboard-link --revoke-all`
replaces the secret and moves `revoked_at` to now, so every link and session
ends at once, even those handed out by a bot process that is still running.
"""

DASHBOARD_KEYS = """
CREATE TABLE dashboard_keys (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    secret     TEXT NOT NULL,
    revoked_at TEXT NOT NULL
)
"""

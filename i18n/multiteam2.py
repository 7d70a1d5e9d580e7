"""Texts of the second round of the several-teams work: joined parts' skills, the
step-by-step quota and slot steps of `/callout`."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "multiteam2.board.part": {
        "zh": "  加入的队伍 {team}：{needed} 人 · 技能：{skills} · {place}",
        "en": "  Joined: {team}, {needed} · skills: {skills} · {place}",
    },
    "multiteam2.board.split": {
        "zh": " · 共 {needed} 人由 {teams} 平分",
        "en": " · {needed} shared out among {teams}",
    },
    "multiteam2.dialog.quotas": {
        "zh": "每支队伍各要多少人？用 − / + 调整后按“完成”（需要人数为各队之和：{total}）。\n"
        "各队名额：{quotas}",
        "en": "How many from each team? Adjust with − / +, then “Done” (the headcount is "
        "their sum: {total}).\nPer team: {quotas}",
    },
    "multiteam2.dialog.shared": {"zh": "不分队名额", "en": "One shared headcount"},
    "multiteam2.dialog.quota_range": {
        "zh": "{team} 的名额须在 1 到 {max} 人之间；更多请用 /callout … team={team}:人数。",
        "en": "{team}'s places must be 1 to {max}; for more type /callout … team={team}:N.",
    },
    "multiteam2.dialog.slots": {
        "zh": "{needed} 个位置中，要给某项技能保留名额吗？每点一次技能多保留一个位置，"
        "然后按“完成”。已保留：{slots}",
        "en": "Of the {needed} places, keep some for a skill? Each tap on a skill keeps one "
        "more place for it; then “Done”. Kept: {slots}",
    },
    "multiteam2.dialog.slots_button": {"zh": "技能名额…", "en": "Skill slots…"},
    "multiteam2.dialog.no_slots": {"zh": "清除技能名额", "en": "Clear the slots"},
    "multiteam2.dialog.none": {"zh": "无", "en": "none"},
    "multiteam2.dialog.quota_line": {"zh": "各队名额：{quotas}", "en": "Per team: {quotas}"},
    "multiteam2.dialog.bad_button": {
        "zh": "这个按钮无效（可能来自旧的对话）。请用当前对话中的按钮，或重新发送 /callout。",
        "en": "This button is not valid (it may be from an old dialog). Use the buttons of "
        "the current dialog, or send /callout again.",
    },
}

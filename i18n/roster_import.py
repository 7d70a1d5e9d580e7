"""Texts for roster file imports: what is wrong with a row and what would be right."""

MESSAGES: dict[str, dict[str, str]] = {
    "roster_import.missing_team": {
        "zh": "队伍为空：请填写队伍代码或全称，代码有 {teams}。",
        "en": "team is empty: write the team's code or full name; codes are {teams}.",
    },
    "roster_import.missing_name": {
        "zh": "姓名为空：每一行都要写队员的姓名。",
        "en": "name is empty: every row needs the volunteer's name.",
    },
    "roster_import.missing_phone": {
        "zh": "手机号为空：名册按手机号识别每个人，请填写，例如 138 0000 0000。",
        "en": "phone is empty: the roster knows people by phone, e.g. 138 0000 0000.",
    },
    "roster_import.duplicate_phone": {
        "zh": "手机号 {phone} 在第 {other_line} 行也出现了：每人只能占一行，请删除或合并其中一行。",
        "en": "phone {phone} is also on line {other_line}: each person once, so delete or merge one of the rows.",
    },
    "roster_import.unknown_role": {
        "zh": "职务“{value}”无法识别：请写 队员、副队长 或 队长（留空即为队员）。",
        "en": "role “{value}” is unknown: write member, deputy or leader (empty means member).",
    },
    "roster_import.unknown_skill": {
        "zh": "技能“{value}”无法识别。可写：{labels_zh}（或技能代码），多个技能用“、”或“;”分隔。",
        "en": "skill “{value}” is unknown. Use the codes {codes} (or the Chinese labels), separated by ; or ,.",
    },
    "roster_import.bad_telegram_id": {
        "zh": "Telegram ID“{value}”应是一串数字，例如 123456789；不清楚就留空，队员发送 /start 即可自行绑定。",
        "en": "Telegram ID “{value}” should be a number such as 123456789; leave it empty if unsure, volunteers link themselves with /start.",
    },
    "roster_import.duplicate_telegram_id": {
        "zh": "Telegram ID {value} 在第 {other_line} 行也出现了：一个账号只能对应一个人。",
        "en": "Telegram ID {value} is also on line {other_line}: one account belongs to one person.",
    },
    "roster_import.telegram_taken": {
        "zh": "Telegram ID {value} 已绑定名册中 {team} 队的另一人：一个账号只能对应一个人。请核对，或留空。",
        "en": "Telegram ID {value} is linked to someone else on the roster ({team}): one account per person. Check it, or leave it empty.",
    },
    "roster_import.bad_insured_from": {
        "zh": "保险起期“{value}”不是日期：请写成 YYYY-MM-DD，例如 2026-01-01。",
        "en": "insured_from “{value}” is not a date: write YYYY-MM-DD, e.g. 2026-01-01.",
    },
    "roster_import.bad_insured_to": {
        "zh": "保险止期“{value}”不是日期：请写成 YYYY-MM-DD，例如 2026-12-31。",
        "en": "insured_to “{value}” is not a date: write YYYY-MM-DD, e.g. 2026-12-31.",
    },
    "roster_import.insured_to_before_from": {
        "zh": "保险止期 {end} 早于起期 {start}：请检查两个日期是否写反。",
        "en": "insured_to {end} is before insured_from {start}: check whether the two dates are swapped.",
    },
    "roster_import.policy_incomplete": {
        "zh": "保险信息不完整，缺 {missing_zh}：保险公司、保单号、保险起期、保险止期要么都填，要么都空。",
        "en": "insurance is incomplete, {missing_en} missing: fill insurer, policy, insured_from and insured_to together, or leave all four empty.",
    },
    "roster_import.other_team": {
        "zh": "这一行属于 {team} 队：你只能导入本队（{scope}）的队员。请删掉这一行，或请协调员导入。",
        "en": "this row is for team {team}: you can import only your own team ({scope}). Remove the row, or ask a coordinator.",
    },
    "roster_import.other_team_person": {
        "zh": "这个手机号属于 {team} 队的队员：你只能修改本队（{scope}）的名册。转队请联系协调员。",
        "en": "this phone belongs to a volunteer of team {team}: you can change only your own team ({scope}). Ask a coordinator to move them.",
    },
}

"""Texts for insurance, training, fitness, certificates and their reminders."""

MESSAGES: dict[str, dict[str, str]] = {
    # --- import rows ------------------------------------------------------------
    "records.bad_coverage": {
        "zh": "保额“{value}”无法识别，例如 500000、50万 或 500,000。",
        "en": "Coverage “{value}” is not an amount, e.g. 500000, 50万 or 500,000.",
    },
    "records.end_before_start": {
        "zh": "保险止期 {end} 早于起期 {start}。",
        "en": "The policy ends ({end}) before it starts ({start}).",
    },
    "records.need_person_column": {
        "zh": "第 {line} 行的表头需要“手机”列，或“姓名”和“队伍”列。",
        "en": "The header (line {line}) needs a “phone” column, or “name” and “team”.",
    },
    "records.other_team": {
        "zh": "{name} 不是 {team} 的队员；队长只能导入本队的记录。",
        "en": "{name} is not in team {team}; a leader imports only their own team's records.",
    },
    "records.other_team_session": {
        "zh": "队伍 {team} 不是你的队伍（{own}）；队长只能导入本队的培训。",
        "en": "Team {team} is not yours ({own}); a leader imports only their own team's training.",
    },
    "records.unknown_phone": {
        "zh": "名册中没有手机号 {phone}。请先导入名册，或检查号码。",
        "en": "No one on the roster has phone {phone}. Import the roster first, or check the number.",
    },
    "records.no_person": {
        "zh": "这一行没有手机号，也没有姓名和队伍。",
        "en": "This row has neither a phone number nor a name and team.",
    },
    "records.unknown_name": {
        "zh": "名册中没有“{name}”。请用手机号，或检查姓名和队伍。",
        "en": "No “{name}” on the roster. Use the phone number, or check the name and team.",
    },
    "records.ambiguous_name": {
        "zh": "名册中有多个“{name}”，请填写手机号。",
        "en": "Several people are called “{name}”; give the phone number.",
    },
    "records.team_only": {
        "zh": "你只能查看和录入本队的记录，不能操作 {team}。",
        "en": "You can see and record your own team only, not {team}.",
    },
    # --- insurance ----------------------------------------------------------------
    "insurance.usage": {
        "zh": "用法：/insurance [队伍代码]，例如 /insurance SD",
        "en": "Usage: /insurance [TEAM], e.g. /insurance SD",
    },
    "insurance.title": {
        "zh": "🛡 {team}（{code}）保险：有效 {valid} · 即将到期 {expiring} · 已过期 {expired} · 无保险 {none}",
        "en": "🛡 {team} ({code}) insurance: valid {valid} · expiring {expiring} · expired {expired} · none {none}",
    },
    "insurance.overview": {
        "zh": "🛡 各队保险情况（{date}）",
        "en": "🛡 Insurance cover by team ({date})",
    },
    "insurance.section.valid": {"zh": "✅ 有效：", "en": "✅ Valid:"},
    "insurance.section.expiring": {"zh": "⚠️ 30 天内到期：", "en": "⚠️ Expiring within 30 days:"},
    "insurance.section.expired": {"zh": "❌ 已过期：", "en": "❌ Expired:"},
    "insurance.section.none": {"zh": "⛔ 无保险记录：", "en": "⛔ No policy on file:"},
    "insurance.line.valid": {
        "zh": "• {name} 至 {date}{phone}",
        "en": "• {name} until {date}{phone}",
    },
    "insurance.line.expiring": {
        "zh": "• {name} {date} 到期（还有 {days} 天）{phone}",
        "en": "• {name} ends {date} ({days} days left){phone}",
    },
    "insurance.line.expired": {
        "zh": "• {name} {date} 已过期{phone}",
        "en": "• {name} expired {date}{phone}",
    },
    "insurance.line.none": {"zh": "• {name}{phone}", "en": "• {name}{phone}"},
    "insurance.phones_hidden": {
        "zh": "（手机号只在私聊中显示给本队队长和协调员）",
        "en": "(phone numbers are shown only in private chat to the team's leaders and coordinators)",
    },
    # --- /me ----------------------------------------------------------------------
    "me.insurance.valid": {"zh": "保险：有效至 {date}", "en": "Insurance: valid until {date}"},
    "me.insurance.expiring": {
        "zh": "保险：⚠️ {date} 到期（还有 {days} 天），请联系队长续保",
        "en": "Insurance: ⚠️ ends {date} ({days} days left); ask your leader to renew",
    },
    "me.insurance.expired": {
        "zh": "保险：❌ 已于 {date} 过期，续保前不会收到召集",
        "en": "Insurance: ❌ expired {date}; no callouts until renewed",
    },
    "me.insurance.none": {
        "zh": "保险：❌ 没有记录，投保前不会收到召集",
        "en": "Insurance: ❌ no policy on file; no callouts until insured",
    },
    "me.fitness.valid": {
        "zh": "体能：{date} 测试合格，有效至 {until}",
        "en": "Fitness: passed on {date}, valid until {until}",
    },
    "me.fitness.failed": {
        "zh": "体能：最近一次测试（{date}）未合格{extra}",
        "en": "Fitness: the latest test ({date}) was not a pass{extra}",
    },
    "me.fitness.last_pass": {
        "zh": "；上次合格 {date}，有效至 {until}",
        "en": "; last pass {date}, valid until {until}",
    },
    "me.fitness.stale": {
        "zh": "体能：上次合格 {date}，已超过 12 个月，请参加测试",
        "en": "Fitness: last pass {date} is over 12 months old; please take the test",
    },
    "me.fitness.never": {"zh": "体能：尚未通过测试", "en": "Fitness: no pass on file"},
    "me.training": {
        "zh": "{year} 年培训：{hours} 小时（{count} 次）",
        "en": "Training in {year}: {hours} hours ({count} sessions)",
    },
    # --- reminders ----------------------------------------------------------------
    "remind.self.expiring": {
        "zh": "⚠️ 你的意外险（{insurer} {policy}）将于 {date} 到期，还有 {days} 天。到期后如未续保，将不会收到召集，请联系队长。",
        "en": "⚠️ Your accident insurance ({insurer} {policy}) ends on {date}, in {days} days. "
        "Without cover you will not be called out; please ask your leader.",
    },
    "remind.self.expires_today": {
        "zh": "⚠️ 你的意外险（{insurer} {policy}）今天（{date}）到期。明天起如未续保，将不会收到召集，请联系队长。",
        "en": "⚠️ Your accident insurance ({insurer} {policy}) ends today ({date}). "
        "Without cover you will not be called out; please ask your leader.",
    },
    "remind.leader.title": {
        "zh": "🛡 保险提醒 · {team}",
        "en": "🛡 Insurance reminder · {team}",
    },
    "remind.leader.expiring": {
        "zh": "• {name}：{date} 到期（还有 {days} 天）",
        "en": "• {name}: ends {date} ({days} days left)",
    },
    "remind.leader.expired": {
        "zh": "• {name}：已于 {date} 过期，现在不会被召集",
        "en": "• {name}: expired {date}; not paged until renewed",
    },
    "remind.leader.footer": {
        "zh": "续保后请导入新保单：发送文件并附说明 /import insurance",
        "en": "Once renewed, import the new policies: send the file with the caption /import insurance",
    },
    "remind.monthly.title": {
        "zh": "📅 {month} 月度提醒 · {team}",
        "en": "📅 Monthly reminder {month} · {team}",
    },
    "remind.monthly.certs": {
        "zh": "证书已过期或 30 天内到期：",
        "en": "Certificates expired or expiring within 30 days:",
    },
    "remind.monthly.cert_expired": {
        "zh": "• {name} {skill}：{date} 已过期",
        "en": "• {name} {skill}: expired {date}",
    },
    "remind.monthly.cert_expiring": {
        "zh": "• {name} {skill}：{date} 到期",
        "en": "• {name} {skill}: expires {date}",
    },
    "remind.monthly.fitness": {
        "zh": "体能测试合格已超过 12 个月或从未合格（山地搜救召集需要）：",
        "en": "Fitness pass older than 12 months or never passed (needed for mountain searches):",
    },
    "remind.monthly.fitness_stale": {
        "zh": "• {name}（上次合格 {date}）",
        "en": "• {name} (last pass {date})",
    },
    "remind.monthly.fitness_never": {"zh": "• {name}（从未合格）", "en": "• {name} (never passed)"},
    # --- training -----------------------------------------------------------------
    "training.kind.mountain": {"zh": "山地", "en": "mountain"},
    "training.kind.water": {"zh": "水域", "en": "water"},
    "training.kind.first_aid": {"zh": "急救", "en": "first aid"},
    "training.kind.rope": {"zh": "绳索", "en": "rope"},
    "training.kind.drill": {"zh": "演练", "en": "drill"},
    "training.kind.fitness": {"zh": "体能", "en": "fitness"},
    "training.kind.theory": {"zh": "理论", "en": "classroom"},
    "training.kind.other": {"zh": "其他", "en": "other"},
    "training.unknown_kind": {
        "zh": "培训类别“{value}”无法识别。可用：{kinds}（或中文：山地、水域、急救、绳索、演练、体能、理论、其他）",
        "en": "Unknown training kind “{value}”. Use one of: {kinds}",
    },
    "training.bad_hours": {
        "zh": "学时“{value}”无效，应是 0 到 240 之间的数字，例如 3 或 1.5。",
        "en": "Hours “{value}” is not valid: a number between 0 and 240, e.g. 3 or 1.5.",
    },
    "training.duplicate": {
        "zh": "{date} 已有一次名为“{title}”的培训。请换一个标题。",
        "en": "There is already a session “{title}” on {date}. Use another title.",
    },
    "training.no_title": {"zh": "缺少培训内容（标题）。", "en": "The title is missing."},
    "training.title_too_long": {
        "zh": "培训内容（标题）有 {length} 个字，最多 {max} 个字。",
        "en": "The title has {length} characters; at most {max} are allowed.",
    },
    "training.inconsistent": {
        "zh": "“{title}”的学时或类别与第 {line} 行不一致。",
        "en": "Hours or kind of “{title}” differ from line {line}.",
    },
    "training.usage": {
        "zh": "用法：/training 查看本年培训；/training add YYYY-MM-DD 小时 标题，例如 /training add 2026-03-05 4 绳索技术复训",
        "en": "Usage: /training shows this year's sessions; /training add YYYY-MM-DD HOURS TITLE, "
        "e.g. /training add 2026-03-05 4 Rope refresher",
    },
    "training.coordinator_team": {
        "zh": "协调员请指定队伍：/training add YYYY-MM-DD 小时 标题 team=队伍代码",
        "en": "Coordinators name the team: /training add YYYY-MM-DD HOURS TITLE team=CODE",
    },
    "training.future": {
        "zh": "{date} 还没到；只能记录已经进行的培训。",
        "en": "{date} is in the future; record sessions that have taken place.",
    },
    "training.pick": {
        "zh": "📝 {title}（{date}，{hours} 小时）已记录。请点选参加人员，完成后点“完成”。",
        "en": "📝 {title} ({date}, {hours} h) recorded. Tap who attended, then “Done”.",
    },
    "training.done_button": {"zh": "✔ 完成", "en": "✔ Done"},
    "training.prev_button": {"zh": "◀ 上一页", "en": "◀ Back"},
    "training.next_button": {"zh": "下一页 ▶", "en": "More ▶"},
    "training.finished": {
        "zh": "✅ {title}（{date}，{hours} 小时）：{count} 人参加。{names}",
        "en": "✅ {title} ({date}, {hours} h): {count} attended. {names}",
    },
    "training.not_yours": {
        "zh": "只有记录这次培训的队长可以点选参加人员。",
        "en": "Only the leader who recorded this session can pick attendees.",
    },
    "training.gone": {"zh": "这次培训记录已不存在。", "en": "This session no longer exists."},
    "training.toggled_on": {"zh": "已加入：{name}", "en": "Added: {name}"},
    "training.toggled_off": {"zh": "已移除：{name}", "en": "Removed: {name}"},
    "training.title": {
        "zh": "📚 {team}（{code}）{year} 年培训：{count} 次，共 {hours} 小时",
        "en": "📚 {team} ({code}) training in {year}: {count} sessions, {hours} hours",
    },
    "training.session_line": {
        "zh": "• {date} {title}（{kind}，{hours} 小时，{count} 人）",
        "en": "• {date} {title} ({kind}, {hours} h, {count} people)",
    },
    "training.hours_title": {"zh": "个人培训时长：", "en": "Hours per volunteer:"},
    "training.hours_line": {"zh": "• {name}：{hours} 小时", "en": "• {name}: {hours} h"},
    "training.none": {"zh": "（暂无记录）", "en": "(none yet)"},
    "training.overview_title": {
        "zh": "📚 {year} 年各队培训",
        "en": "📚 Training by team in {year}",
    },
    "training.overview_line": {
        "zh": "• {code} {name}：{sessions} 次，{hours} 小时，{people} 人参训",
        "en": "• {code} {name}: {sessions} sessions, {hours} h, {people} people trained",
    },
    # --- fitness ------------------------------------------------------------------
    "fitness.usage": {
        "zh": "用法：/fitness 姓名或手机号 项目=成绩 …，例如 /fitness 张伟 run1000=4:12 pullups=5 longjump=2.10 hike5k20=55:00"
        "\n项目：{items}；时间可写 4:12、4'12\" 或 252（秒）；可加 date=YYYY-MM-DD",
        "en": "Usage: /fitness NAME OR PHONE item=value …, e.g. /fitness 张伟 run1000=4:12 pullups=5 longjump=2.10 hike5k20=55:00"
        "\nItems: {items}; times as 4:12, 4'12\" or 252 (seconds); add date=YYYY-MM-DD for another day",
    },
    "fitness.unknown_item": {
        "zh": "没有体能项目“{value}”。可用项目：{items}。格式：项目=成绩，例如 run1000=4:12",
        "en": "There is no fitness item “{value}”. Items: {items}. Form: item=value, e.g. run1000=4:12",
    },
    "fitness.bad_value": {
        "zh": "{item} 的成绩“{value}”无法识别，例如 {example}（时间可写 4:12、4'12\" 或 252 秒）。",
        "en": "“{value}” is not a result for {item}; e.g. {example} (times as 4:12, 4'12\" or 252 seconds).",
    },
    "fitness.implausible": {
        "zh": "{item} 的成绩“{value}”不合理（应在 {low} 到 {high} 之间），例如 {example}。",
        "en": "“{value}” is implausible for {item} (expected between {low} and {high}), e.g. {example}.",
    },
    "fitness.no_item_columns": {
        "zh": "第 {line} 行的表头没有任何体能项目列。可用项目：{items}",
        "en": "The header (line {line}) has no fitness item column. Items: {items}",
    },
    "fitness.no_values": {
        "zh": "这一行没有任何成绩（项目：{items}）。",
        "en": "This row has no results (items: {items}).",
    },
    "fitness.pair_form": {
        "zh": "“{value}”不是 项目=成绩 的格式，例如 run1000=4:12。",
        "en": "“{value}” is not item=value, e.g. run1000=4:12.",
    },
    "fitness.result_title": {
        "zh": "🏃 {name}（{team}）{date} 体能测试：",
        "en": "🏃 {name} ({team}) fitness test on {date}:",
    },
    "fitness.item_pass": {
        "zh": "✔ {label} {value}（标准 {sign} {limit}）",
        "en": "✔ {label} {value} (standard {sign} {limit})",
    },
    "fitness.item_fail": {
        "zh": "✘ {label} {value}（未达标：标准 {sign} {limit}）",
        "en": "✘ {label} {value} (failed: standard {sign} {limit})",
    },
    "fitness.item_missing": {"zh": "… {label}：未测", "en": "… {label}: not tested"},
    "fitness.overall_pass": {
        "zh": "结果：✅ 合格，有效至 {until}",
        "en": "Result: ✅ pass, valid until {until}",
    },
    "fitness.overall_fail": {
        "zh": "结果：❌ 不合格（未达标：{failed}）",
        "en": "Result: ❌ not a pass (failed: {failed})",
    },
    "fitness.overall_incomplete": {
        "zh": "结果：尚未完成（还需测：{missing}）；同一天再发 /fitness 可补录",
        "en": "Result: incomplete (still to test: {missing}); send /fitness again the same day to add",
    },
    "fitness.summary_title": {
        "zh": "🏃 {team}（{code}）体能：{valid}/{total} 人在 12 个月内合格",
        "en": "🏃 {team} ({code}) fitness: {valid}/{total} passed within 12 months",
    },
    "fitness.summary_due": {"zh": "需要测试：{names}", "en": "Due for a test: {names}"},
    # --- certificates ---------------------------------------------------------------
    "cert.usage": {
        "zh": "用法：/cert 姓名或手机号 技能 发证日期 [expires=到期日]，例如 /cert 张伟 急救 2026-03-05"
        "（不写到期日则按技能默认有效期计算）",
        "en": "Usage: /cert NAME OR PHONE SKILL DATE [expires=YYYY-MM-DD], e.g. "
        "/cert 张伟 first_aid 2026-03-05 (without an expiry the skill's default validity applies)",
    },
    "cert.saved": {
        "zh": "已记录：{name} {skill} 证书，发证 {date}，有效至 {expires}。",
        "en": "Recorded: {name}'s {skill} certificate of {date}, valid until {expires}.",
    },
    "cert.saved_no_expiry": {
        "zh": "已记录：{name} {skill} 证书，发证 {date}（长期有效）。",
        "en": "Recorded: {name}'s {skill} certificate of {date} (does not expire).",
    },
}

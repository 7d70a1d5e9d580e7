"""Texts of incident operations: on scene, safety checks, the return, hours, /mark, /check."""

MESSAGES: dict[str, dict[str, str]] = {
    # --- buttons -------------------------------------------------------------------------------
    "button.on_scene": {"zh": "到达现场", "en": "On scene"},
    "button.ok": {"zh": "平安", "en": "I'm OK"},
    "button.help": {"zh": "需要支援", "en": "Need help"},
    "button.home": {"zh": "已安全返回", "en": "Home safe"},
    "button.right": {"zh": "正确", "en": "Right"},
    "button.correct": {"zh": "修改", "en": "Correct"},
    # --- on scene --------------------------------------------------------------------------------
    "page.state.on_scene": {
        "zh": "📍 你已到达现场。发送位置（📎 → 位置）可更新你的最后位置。",
        "en": "📍 You are on scene. Share your location (📎 → Location) to update your last known position.",
    },
    "incident.tap.on_scene": {
        "zh": "已记录：{time} 到达现场。请发送你的位置，方便队长掌握。",
        "en": "Noted: on scene at {time}. Share your location so the leader knows where you are.",
    },
    "incident.error.not_going": {
        "zh": "请先点击“可以出队”：到达现场只适用于已确认或待命的队员。",
        "en": "Tap “Available” first: On scene is for confirmed and standby responders.",
    },
    "incident.error.not_participant": {
        "zh": "你不在这次任务的参与名单上。",
        "en": "You are not among this mission's participants.",
    },
    "incident.position.saved": {
        "zh": "📍 已记录你的位置（召集 {ids}）。",
        "en": "📍 Your position is noted (callout {ids}).",
    },
    "incident.position": {"zh": "📍 {lat}, {lon}（{time}）", "en": "📍 {lat}, {lon} ({time})"},
    "incident.no_position": {"zh": "未发送位置", "en": "no position shared"},
    # --- safety checks ---------------------------------------------------------------------------
    "incident.check.ask": {
        "zh": "🛟 安全确认：召集 #{id}（{type}，{place}）。你平安吗？请在 {grace} 分钟内回复。",
        "en": "🛟 Safety check for callout #{id} ({type}, {place}): are you OK? Please answer within {grace} min.",
    },
    "incident.tap.ok": {"zh": "已记录：平安。注意安全！", "en": "Noted: you are OK. Stay safe!"},
    "incident.tap.help": {
        "zh": "已通知队长和协调员。如果可以，请发送你的位置。",
        "en": "The leader and the coordinators are alerted. Share your location if you can.",
    },
    "incident.check.missed.leader": {
        "zh": "⚠️ 召集 #{id}（{type}，{place}）：{count} 名现场队员 {minutes} 分钟内未回复安全确认：",
        "en": "⚠️ Callout #{id} ({type}, {place}): {count} on scene did not answer the safety check within {minutes} min:",
    },
    "incident.check.missed.coordinator": {
        "zh": "🚨 召集 #{id}（{type}，{place}）：{count} 名现场队员 {minutes} 分钟仍未回复安全确认，队长已获通知：",
        "en": "🚨 Callout #{id} ({type}, {place}): {count} on scene have not answered the safety check for {minutes} min; the leader was told:",
    },
    "incident.check.answered": {
        "zh": "✅ 召集 #{id}：以下队员已回复平安：",
        "en": "✅ Callout #{id}: answered the safety check, OK:",
    },
    "incident.help.alert": {
        "zh": "🆘 召集 #{id}（{type}，{place}）：有队员请求支援！",
        "en": "🆘 Callout #{id} ({type}, {place}): a responder needs help!",
    },
    "check.usage": {
        "zh": "用法：/check 召集编号 分钟数|off，例如 /check 3 30（每 30 分钟安全确认一次）或 /check 3 off",
        "en": "Usage: /check ID minutes|off, e.g. /check 3 30 (a safety check every 30 min) or /check 3 off",
    },
    "check.error.minutes": {
        "zh": "“{value}”不是有效的间隔：请写 1440 以内的分钟数（可带小数，如 0.5），或 off。",
        "en": "“{value}” is not an interval: write minutes up to 1440 (fractions work, e.g. 0.5), or off.",
    },
    "check.error.whole_callout": {
        "zh": "召集 #{id} 的安全确认只能由召集人、召集队伍的队长或副队长、或协调员更改；你管理的是本队的部分。",
        "en": "Only the caller, the calling team's leader or deputy, or a coordinator can change "
        "the safety checks of callout #{id}; you manage your own team's part.",
    },
    "check.set": {
        "zh": "召集 #{id}：现场队员每 {minutes} 分钟安全确认一次，下一次 {time}。",
        "en": "Callout #{id}: a safety check every {minutes} min for responders on scene; next at {time}.",
    },
    "check.set_later": {
        "zh": "召集 #{id}：每 {minutes} 分钟安全确认一次，从第一位队员到达现场开始。",
        "en": "Callout #{id}: a safety check every {minutes} min, starting when the first responder is on scene.",
    },
    "check.off": {
        "zh": "召集 #{id}：已关闭安全确认。",
        "en": "Callout #{id}: safety checks are off.",
    },
    # --- the return --------------------------------------------------------------------------------
    "incident.return.ask.cancelled": {
        "zh": "🏠 召集 #{id}（{type}，{place}）已取消。安全到家后请点击下方按钮。",
        "en": "🏠 Callout #{id} ({type}, {place}) is cancelled. When you are home safe, tap the button below.",
    },
    "incident.return.ask.closed": {
        "zh": "🏠 召集 #{id}（{type}，{place}）已结束。安全到家后请点击下方按钮。",
        "en": "🏠 Callout #{id} ({type}, {place}) is closed. When you are home safe, tap the button below.",
    },
    "incident.tap.home": {
        "zh": "欢迎回来！已记录 {time} 安全返回。",
        "en": "Welcome back! Home safe noted at {time}.",
    },
    "incident.return.overdue.leader": {
        "zh": "⏰ 召集 #{id}（{type}，{place}）结束 {minutes} 分钟后，仍有 {count} 人未确认安全返回，请联系：",
        "en": "⏰ Callout #{id} ({type}, {place}): {minutes} min after the close, {count} are not home safe yet; please ring them:",
    },
    "incident.return.overdue.coordinator": {
        "zh": "🚨 召集 #{id}（{type}，{place}）结束 {minutes} 分钟后，仍有 {count} 人未确认安全返回，队长已获通知：",
        "en": "🚨 Callout #{id} ({type}, {place}): {minutes} min after the close, {count} are still not home safe; the leader was told:",
    },
    "incident.return.all_home": {
        "zh": "✅ 召集 #{id}（{type}，{place}）：全员 {count} 人已安全返回。",
        "en": "✅ Callout #{id} ({type}, {place}): everyone is home safe ({count}).",
    },
    "incident.close.return": {
        "zh": "已请 {count} 名参与队员在安全到家后确认。任务记录：/mission {mission_id}",
        "en": "{count} participants are asked to confirm when they are home safe. Mission record: /mission {mission_id}",
    },
    # --- hours and the debrief ---------------------------------------------------------------------
    "incident.debrief": {
        "zh": "📝 召集 #{id}（{type}）：系统记录你的服务时长为 {hours} 小时（{start}–{end}）。是否正确？",
        "en": "📝 Callout #{id} ({type}): the bot counted {hours} h for you ({start}–{end}). Is that right?",
    },
    "debrief.saved": {
        "zh": "已记录：召集 #{id} 服务 {hours} 小时。谢谢！",
        "en": "Recorded: {hours} h for callout #{id}. Thank you!",
    },
    "debrief.ask_short": {
        "zh": "请回复正确的小时数。",
        "en": "Reply with the right number of hours.",
    },
    "debrief.ask": {
        "zh": "召集 #{id}：系统记录 {hours} 小时。请直接回复正确的小时数（0 到 48，例如 5.5）。",
        "en": "Callout #{id}: the bot counted {hours} h. Reply with the right number of hours (0 to 48, e.g. 5.5).",
    },
    "debrief.error.hours": {
        "zh": "“{value}”不是有效的小时数：请回复 0 到 48 之间的数字，例如 5 或 5.5。",
        "en": "“{value}” is not a number of hours: reply with a number from 0 to 48, e.g. 5 or 5.5.",
    },
    # --- /mission ID -------------------------------------------------------------------------------
    "mission.error.unknown": {
        "zh": "没有编号为 {id} 的任务。发送 /missions 查看今年的任务。",
        "en": "There is no mission {id}. Send /missions to see this year's.",
    },
    "mission.record.title": {
        "zh": "📄 任务 {id}：{type} · {day} · {place}\n队伍：{teams} · 获救 {rescued} 人",
        "en": "📄 Mission {id}: {type} · {day} · {place}\nTeams: {teams} · rescued {rescued}",
    },
    "mission.record.callout": {"zh": "来自召集 #{id}", "en": "From callout #{id}"},
    "mission.record.outcome": {"zh": "结果：{outcome}", "en": "Outcome: {outcome}"},
    "mission.logged": {
        "zh": "记录了 {count} 名参与者。任务记录：/mission {mission_id}",
        "en": "{count} participants recorded. Mission record: /mission {mission_id}",
    },
    "mission.error.outcome": {
        "zh": "结果太长：最多 {max} 个字符，例如 outcome=已找到。",
        "en": "The outcome is too long: at most {max} characters, e.g. outcome=found.",
    },
    "mission.record.participants": {
        "zh": "参与 {count} 人（系统记录 → 确认）：",
        "en": "{count} participants (counted → confirmed):",
    },
    "mission.record.line": {
        "zh": "{name} ({team}) {counted} 小时",
        "en": "{name} ({team}) {counted} h",
    },
    "mission.record.unconfirmed": {"zh": "待确认", "en": "not confirmed yet"},
    "mission.record.confirmed": {"zh": "已确认", "en": "confirmed"},
    "mission.record.corrected": {"zh": "修改为 {hours} 小时", "en": "corrected to {hours} h"},
    "mission.record.total": {"zh": "合计 {hours} 人时", "en": "Total {hours} person-hours"},
    "help.cmd.check": {
        "zh": "/check 编号 分钟数|off — 现场安全确认的间隔",
        "en": "/check ID minutes|off — safety-check interval on scene",
    },
    "help.cmd.mark": {
        "zh": "/mark 编号 姓名 available|unavailable|onscene|safe — 记录电话回复",
        "en": "/mark ID NAME available|unavailable|onscene|safe — record a phone answer",
    },
    # --- /mark -------------------------------------------------------------------------------------
    "mark.usage": {
        "zh": "用法：/mark 召集编号 姓名 available|unavailable|onscene|safe [eta=分钟]\n"
        "例如：/mark 3 王五 available eta=30（电话联系到的队员）",
        "en": "Usage: /mark ID NAME available|unavailable|onscene|safe [eta=MIN]\n"
        "e.g. /mark 3 Wang available eta=30 (someone you reached by phone)",
    },
    "mark.error.answer": {
        "zh": "“{value}”不是有效的回复：请写 available、unavailable、onscene 或 safe。",
        "en": "“{value}” is not an answer: write available, unavailable, onscene or safe.",
    },
    "mark.error.eta": {
        "zh": "eta=“{value}”无效：请写预计到达的分钟数，例如 eta=30。",
        "en": "eta=“{value}” is not valid: write the minutes until arrival, e.g. eta=30.",
    },
    "mark.error.eta_needs_available": {
        "zh": "eta= 只能和 available 或 onscene 一起使用。",
        "en": "eta= goes only with available or onscene.",
    },
    "mark.error.on_scene": {
        "zh": "{name} 已在现场：到家后请用 safe 记录。",
        "en": "{name} is already on scene: record safe once they are home.",
    },
    "mark.error.other_team": {
        "zh": "你只能记录本队队员的回复：{name} 属于 {team} 队，请由该队队长记录。",
        "en": "You can mark only people of your own team: {name} is in {team}; their leader marks them.",
    },
    "mark.error.not_participant": {
        "zh": "{name} 不是召集 #{id} 的参与者（未确认出队也未到达现场）。",
        "en": "{name} is not a participant of callout #{id} (neither confirmed nor on scene).",
    },
    "mark.answer.available": {"zh": "可以出队", "en": "available"},
    "mark.answer.unavailable": {"zh": "无法出队", "en": "unavailable"},
    "mark.answer.onscene": {"zh": "到达现场", "en": "on scene"},
    "mark.answer.safe": {"zh": "已安全返回", "en": "home safe"},
    "mark.answer.standby": {"zh": "人数已满，列入待命", "en": "the team is full: on standby"},
    "mark.done": {
        "zh": "已记录（电话确认）：{name} — {answer}（召集 #{id}）。",
        "en": "Recorded (by phone): {name} — {answer} (callout #{id}).",
    },
    "mark.by_leader": {"zh": "☎️ 队长代记", "en": "☎️ by leader"},
    # --- the board ---------------------------------------------------------------------------------
    "button.full_list": {"zh": "完整名单", "en": "Full list"},
    "fulllist.caption": {
        "zh": "召集 #{id} 的完整名单（{count} 人）。",
        "en": "The full list of callout #{id} ({count} people).",
    },
    "fulllist.col.group": {"zh": "分组", "en": "group"},
    "fulllist.col.name": {"zh": "姓名", "en": "name"},
    "fulllist.col.team": {"zh": "队伍", "en": "team"},
    "fulllist.col.phone": {"zh": "手机", "en": "phone"},
    "fulllist.col.answered": {"zh": "回复时间", "en": "answered"},
    "fulllist.col.eta": {"zh": "预计到达（分钟）", "en": "ETA (min)"},
    "fulllist.col.on_scene": {"zh": "到达现场", "en": "on scene"},
    "fulllist.col.home_safe": {"zh": "安全返回", "en": "home safe"},
    "fulllist.col.position": {"zh": "最后位置", "en": "last position"},
    "fulllist.col.notes": {"zh": "备注", "en": "notes"},
    "phase.paged": {"zh": "未回复", "en": "no reply"},
    "phase.no_reply": {"zh": "未回复", "en": "no reply"},
    "phase.undeliverable": {"zh": "无法送达", "en": "undeliverable"},
    "phase.confirmed": {"zh": "已确认", "en": "confirmed"},
    "phase.standby": {"zh": "待命", "en": "standby"},
    "phase.unavailable": {"zh": "无法出队", "en": "unavailable"},
    "phase.on_scene": {"zh": "到达现场", "en": "on scene"},
    "phase.home_safe": {"zh": "已安全返回", "en": "home safe"},
    "phase.left_out": {"zh": "未通知", "en": "left out"},
    "status.returning": {"zh": "已结束，返程中", "en": "closed, returning"},
    "board.home_safe": {
        "zh": "🏠 已安全返回 {count}/{total}",
        "en": "🏠 Home safe {count}/{total}",
    },
    "board.still_out": {"zh": "尚未返回 {count}：{names}", "en": "Still out {count}: {names}"},
    "board.on_scene": {"zh": "到达现场 {count}", "en": "On scene {count}"},
    "board.since": {"zh": "{time} 到达", "en": "since {time}"},
    "board.flag.home": {"zh": "🏠 {time} 返回", "en": "🏠 home {time}"},
    "board.flag.help": {"zh": "🆘 {time} 请求支援", "en": "🆘 needs help since {time}"},
    "board.flag.overdue": {"zh": "⏰ 安全确认超时", "en": "⏰ safety check overdue"},
    # --- the demo's incident ----------------------------------------------------------------
    "demo.shares": {
        "zh": "[{clock}] 👤 {who} 发送了位置 📍",
        "en": "[{clock}] 👤 {who} shares a location 📍",
    },
    "demo.silent": {
        "zh": "           （{who} 的手机没电了，没有回复）",
        "en": "           ({who}'s phone is flat: no answer)",
    },
    "demo.step.escalation": {
        "zh": "升级提醒和电话名单",
        "en": "the escalation with the phone list",
    },
    "demo.step.promoted": {"zh": "待命队员递补", "en": "a standby volunteer is promoted"},
    "demo.step.on_scene": {"zh": "队员到达现场", "en": "responders check in on scene"},
    "demo.step.check": {"zh": "安全确认", "en": "the safety check"},
    "demo.step.return": {"zh": "全员安全返回", "en": "everyone home safe"},
}

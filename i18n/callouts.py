"""Texts of the callout loop: /callout, pages, taps, the board, escalation, /close, /mission."""

_USAGE_ZH = (
    "用法：/callout 类型 人数 地点 [说明…] [skills=技能1,技能2] [team=队伍代码|all|HR:3,QM:3]"
    " [need=技能:人数] [fit=yes|no]\n"
    "例如：/callout mountain 4 凤凰山西坡 徒步者脚踝受伤 skills=mountain_search\n"
    "不带参数发送 /callout 会一步步询问。"
)
_USAGE_EN = (
    "Usage: /callout TYPE NEEDED PLACE [description…] [skills=a,b] [team=CODE|all|HR:3,QM:3]"
    " [need=SKILL:N] [fit=yes|no]\n"
    "e.g. /callout mountain 4 Phoenix-Hill-west hiker-with-injured-ankle skills=mountain_search\n"
    "Send /callout alone to be asked step by step."
)

MESSAGES: dict[str, dict[str, str]] = {
    # --- /callout input -----------------------------------------------------------
    "callout.usage": {"zh": _USAGE_ZH, "en": _USAGE_EN},
    "callout.error.type": {
        "zh": "没有任务类型“{value}”。可用类型：{types}（也可写中文，如 山地搜救、防汛）。\n"
        + _USAGE_ZH,
        "en": "There is no mission type “{value}”. Types: {types} (Chinese names work too).\n"
        + _USAGE_EN,
    },
    "callout.error.needed": {
        "zh": "人数“{value}”无效：请写 1 到 {max} 之间的整数，例如 /callout mountain 4 凤凰山",
        "en": "“{value}” is not a headcount: write a whole number from 1 to {max}, "
        "e.g. /callout mountain 4 Phoenix-Hill",
    },
    "callout.error.fit": {
        "zh": "fit=“{value}”无效：写 fit=yes（需要体能测试）或 fit=no（不要求）。",
        "en": "fit=“{value}” is not valid: write fit=yes (fitness pass needed) or fit=no (waived).",
    },
    "callout.error.unknown": {
        "zh": "没有编号为 #{id} 的召集。发送 /status 查看进行中的召集。",
        "en": "There is no callout #{id}. Send /status to see the open ones.",
    },
    "callout.error.ended": {
        "zh": "召集 #{id} 已经结束。",
        "en": "Callout #{id} has already ended.",
    },
    "callout.error.all_teams": {
        "zh": "只有协调员可以召集所有队伍（team=all）。",
        "en": "Only coordinators can call out all teams (team=all).",
    },
    "callout.error.other_team": {
        "zh": "你只能召集自己的队伍，不能召集 {team}。需要其他队伍时请联系协调员。",
        "en": "You can call out only your own team, not {team}. Ask a coordinator for other teams.",
    },
    "callout.error.choose_team": {
        "zh": "请用 team= 选择队伍，例如 team=SD 或 team=all。队伍代码：{teams}",
        "en": "Choose the team with team=, e.g. team=SD or team=all. Team codes: {teams}",
    },
    "callout.error.draft_gone": {
        "zh": "这个请求已经处理过或已过期，请重新发送 /callout。",
        "en": "That request was already handled or has expired; send /callout again.",
    },
    "callout.error.location_too_long": {
        "zh": "地点太长（{length} 个字符，最多 {max} 个）：写一个地名即可，说明写在后面。",
        "en": "The place is too long ({length} characters, at most {max}): one place name, then the description.",
    },
    "callout.error.description_too_long": {
        "zh": "说明太长（{length} 个字符，最多 {max} 个）：请写得简短些，细节可以电话说明。",
        "en": "The description is too long ({length} characters, at most {max}): keep it short; give details by phone.",
    },
    "callout.started": {
        "zh": "召集 #{id} 已发出：通知 {paged} 人，未通知 {left_out} 人（原因见看板）。",
        "en": "Callout #{id} sent: {paged} paged, {left_out} left out (reasons on the board).",
    },
    "callout.held": {
        "zh": "未发出：同类召集 #{id} 仍在进行，请选择加入它或仍然发出。",
        "en": "Not sent yet: callout #{id} of the same type is still open; join it or page anyway.",
    },
    "callout.joined": {
        "zh": "已加入召集 #{id}，新通知 {count} 人。",
        "en": "Joined callout #{id}; {count} more paged.",
    },
    "location.saved": {
        "zh": "已收到位置，将附在你的下一个召集中（30 分钟内）。",
        "en": "Location received; it goes with your next callout (within 30 minutes).",
    },
    # --- buttons -----------------------------------------------------------------------
    "button.available": {"zh": "可以出队", "en": "Available"},
    "button.unavailable": {"zh": "无法出队", "en": "Unavailable"},
    "button.eta": {"zh": "{minutes} 分钟到", "en": "{minutes} min"},
    "button.join": {"zh": "加入 #{id}", "en": "Join #{id}"},
    "button.page_anyway": {"zh": "仍然发出", "en": "Page anyway"},
    "button.widen": {"zh": "扩大召集（{count} 人）", "en": "Widen ({count} people)"},
    # --- the page a volunteer gets ---------------------------------------------------------
    "page.title": {"zh": "🚨 出队召集 #{id}：{type}", "en": "🚨 Callout #{id}: {type}"},
    "page.place": {"zh": "地点：{place}", "en": "Place: {place}"},
    "page.needed": {"zh": "需要 {needed} 人", "en": "{needed} needed"},
    "page.skills": {"zh": "技能要求：{skills}", "en": "Skills: {skills}"},
    "page.caller": {"zh": "召集人：{caller}", "en": "Called by: {caller}"},
    "page.ask": {"zh": "能否出队？请点击下方按钮。", "en": "Can you go? Tap a button below."},
    "page.eta": {"zh": "（{minutes} 分钟到）", "en": "(ETA {minutes} min)"},
    "page.state.available": {"zh": "✅ 你已确认出队。", "en": "✅ You are confirmed."},
    "page.state.standby": {
        "zh": "⏳ 人数已满，你在待命名单上；有空位会通知你。",
        "en": "⏳ The team is full; you are on standby and will be told if a place frees up.",
    },
    "page.state.unavailable": {"zh": "❌ 你已回复无法出队。", "en": "❌ You said you cannot go."},
    "page.state.no_reply": {"zh": "未回复。", "en": "No reply."},
    "page.ended.closed": {"zh": "🏁 此召集已结束。", "en": "🏁 This callout is closed."},
    "page.ended.cancelled": {"zh": "🛑 此召集已取消。", "en": "🛑 This callout was cancelled."},
    # --- taps (answerCallbackQuery) --------------------------------------------------------
    "tap.available": {
        "zh": "已确认出队，请选择预计到达时间。",
        "en": "You are confirmed. Choose your ETA.",
    },
    "tap.standby": {
        "zh": "人数已满，你在待命名单上；有空位会通知你。",
        "en": "The team is full: you are on standby and will be told if a place frees up.",
    },
    "tap.unavailable": {"zh": "已记录：无法出队。", "en": "Noted: you cannot go."},
    "tap.no_reply": {"zh": "已记录。", "en": "Noted."},
    "tap.same": {"zh": "你的回复没有变化。", "en": "Your answer is unchanged."},
    "tap.eta": {"zh": "已记录：{minutes} 分钟到。", "en": "Noted: ETA {minutes} min."},
    "tap.eta_first": {
        "zh": "请先点击“可以出队”。",
        "en": "Tap “Available” first.",
    },
    "tap.not_yours": {
        "zh": "这个召集不是发给你的，你的点击没有被记录。",
        "en": "This callout was not sent to you; your tap changed nothing.",
    },
    "tap.unknown": {"zh": "找不到这个召集。", "en": "This callout no longer exists."},
    "tap.ended.closed": {
        "zh": "召集 #{id} 已结束，无需回复。",
        "en": "Callout #{id} is closed; no reply needed.",
    },
    "tap.ended.cancelled": {
        "zh": "召集 #{id} 已取消，无需回复。",
        "en": "Callout #{id} was cancelled; no reply needed.",
    },
    # --- notices ----------------------------------------------------------------------------
    "notice.promoted": {
        "zh": "✅ 有空位了：你已从待命转为确认出队（#{id} {type}，{place}）。",
        "en": "✅ A place freed up: you are now confirmed for #{id} ({type}, {place}).",
    },
    "notice.reminder": {
        "zh": "⏰ 提醒：召集 #{id}（{type}，{place}）仍在等待你的回复。",
        "en": "⏰ Reminder: callout #{id} ({type}, {place}) is still waiting for your answer.",
    },
    "notice.cancelled": {
        "zh": "🛑 召集 #{id}（{type}，{place}）已取消，请原地待命解除。原因：{reason}",
        "en": "🛑 Callout #{id} ({type}, {place}) is cancelled: stand down. Reason: {reason}",
    },
    "notice.closed": {
        "zh": "🏁 召集 #{id}（{type}，{place}）已结束。谢谢你！",
        "en": "🏁 Callout #{id} ({type}, {place}) is closed. Thank you!",
    },
    # --- the board ---------------------------------------------------------------------------
    "board.title": {
        "zh": "📋 召集 #{id}：{type} · {place}（{status}）",
        "en": "📋 Callout #{id}: {type} · {place} ({status})",
    },
    "board.scope": {
        "zh": "队伍：{teams} · 技能：{skills}",
        "en": "Teams: {teams} · skills: {skills}",
    },
    "board.no_skills": {"zh": "不限", "en": "any"},
    "board.fitness": {
        "zh": "需要 12 个月内体能测试合格",
        "en": "Fitness pass within 12 months required",
    },
    "board.confirmed": {"zh": "已确认 {count}/{needed}", "en": "Confirmed {count}/{needed}"},
    "board.standby": {"zh": "待命 {count}：{names}", "en": "Standby {count}: {names}"},
    "board.unavailable": {"zh": "无法出队 {count}：{names}", "en": "Unavailable {count}: {names}"},
    "board.no_reply": {"zh": "未回复 {count}：{names}", "en": "No reply {count}: {names}"},
    "board.undeliverable": {"zh": "无法送达 {count}：", "en": "Undeliverable {count}:"},
    "board.left_out": {"zh": "未通知 {count}：", "en": "Left out {count}:"},
    "board.more": {"zh": "等另外 {count} 人", "en": "and {count} more"},
    "board.cancel_reason": {"zh": "取消原因：{reason}", "en": "Cancelled because: {reason}"},
    "status.open": {"zh": "召集中", "en": "open"},
    "status.filled": {"zh": "人数已满", "en": "filled"},
    "status.closed": {"zh": "已结束", "en": "closed"},
    "status.cancelled": {"zh": "已取消", "en": "cancelled"},
    "status.none": {"zh": "目前没有进行中的召集。", "en": "No callouts are open."},
    "status.usage": {"zh": "用法：/status [召集编号]", "en": "Usage: /status [callout ID]"},
    "undeliverable.blocked": {"zh": "已屏蔽机器人", "en": "blocked the bot"},
    "undeliverable.chat_not_found": {"zh": "从未与机器人对话", "en": "never started the bot"},
    "undeliverable.failed": {"zh": "发送失败", "en": "sending failed"},
    "reason.not_linked": {"zh": "未绑定账号", "en": "not linked"},
    "reason.inactive": {"zh": "已停用", "en": "inactive"},
    "reason.away": {"zh": "外出", "en": "away"},
    "reason.uninsured": {"zh": "无有效保险", "en": "uninsured"},
    "reason.skill_missing": {"zh": "缺少技能", "en": "missing skill"},
    "reason.skill_expired": {"zh": "技能证书过期", "en": "expired skill"},
    "reason.no_fitness": {"zh": "无 12 个月内体能合格", "en": "no fitness pass"},
    # --- duplicate guard -------------------------------------------------------------------
    "duplicate.caller": {
        "zh": "⚠️ 同类召集 #{id}（{type}，{place}）仍在进行。为避免重复派遣，请选择加入它，或仍然发出新召集。",
        "en": "⚠️ Callout #{id} ({type}, {place}) of the same type is still open. To avoid sending "
        "twice, join it, or page anyway.",
    },
    "duplicate.coordinator": {
        "zh": "⚠️ {caller} 正要为 {teams} 再发一个{type}召集，而 #{id} 仍在进行。",
        "en": "⚠️ {caller} is about to call out {teams} for another {type} while #{id} is still open.",
    },
    # --- escalation --------------------------------------------------------------------------
    "escalation.caller": {
        "zh": "⏰ 召集 #{id}：已确认 {confirmed}/{needed}。已提醒 {count} 位未回复的队员，可以打电话给他们：",
        "en": "⏰ Callout #{id}: {confirmed}/{needed} confirmed. {count} have not replied and were "
        "reminded; you may ring them:",
    },
    "escalation.still_paging": {
        "zh": "另有 {count} 人的召集通知仍在发送中（按 Telegram 的速度限制排队），他们会在收到通知一段时间后再被提醒；你也可以先打电话给他们：",
        "en": "{count} more pages are still going out (queued at Telegram's rate limit); those people are reminded a while after their page arrives; you may ring them meanwhile:",
    },
    "escalation.reminders_wait": {
        "zh": "（提醒会在所有仍在发送的召集通知发出后再发：先让每个人收到召集。）",
        "en": "(The reminders go once every page still going out has gone: everyone gets "
        "their page first.)",
    },
    "escalation.coordinator": {
        "zh": "🚨 召集 #{id}（{type}，{place}，队伍 {teams}）还缺 {open}/{needed} 人。"
        "其他队伍有 {matching} 名符合条件的队员。",
        "en": "🚨 Callout #{id} ({type}, {place}, teams {teams}) still has {open} of {needed} "
        "places open. Other teams have {matching} matching volunteers.",
    },
    # --- widen, cancel, close, missions ------------------------------------------------------
    "widen.usage": {
        "zh": "用法：/widen 召集编号 [team=队伍代码|all]",
        "en": "Usage: /widen ID [team=CODE|all]",
    },
    "widen.error.no_teams": {
        "zh": "召集 #{id} 没有可以扩大的其他队伍。",
        "en": "There are no other teams to widen callout #{id} to.",
    },
    "widen.done": {
        "zh": "召集 #{id} 已扩大：新通知 {count} 人。",
        "en": "Callout #{id} widened: {count} more paged.",
    },
    "cancel.usage": {"zh": "用法：/cancel 召集编号 [原因]", "en": "Usage: /cancel ID [reason]"},
    "cancel.error.reason_too_long": {
        "zh": "取消原因太长（{length} 个字符，最多 {max} 个），请写得简短些。",
        "en": "The reason is too long ({length} characters, at most {max}); keep it short.",
    },
    "cancel.done": {
        "zh": "召集 #{id} 已取消，已通知确认和待命的队员。",
        "en": "Callout #{id} cancelled; confirmed and standby volunteers are told.",
    },
    "close.usage": {
        "zh": "用法：/close 召集编号 [rescued=获救人数] [outcome=结果] [备注…]",
        "en": "Usage: /close ID [rescued=N] [outcome=…] [notes…]",
    },
    "close.error.rescued": {
        "zh": "rescued=“{value}”无效：请写获救人数，例如 rescued=1。",
        "en": "rescued=“{value}” is not valid: write the number rescued, e.g. rescued=1.",
    },
    "close.done": {
        "zh": "召集 #{id} 已结束，{participants} 人参与。这是 {year} 年第 {number} 次任务（目标 {target} 次）。",
        "en": "Callout #{id} closed with {participants} participants. This is mission {number} of "
        "{year} (target {target}).",
    },
    "mission.usage": {
        "zh": "用法：/mission add 类型 日期 小时数 队伍代码 [place=地点] [people=姓名1,姓名2] "
        "[rescued=N] [outcome=结果] [备注…]\n"
        "例如：/mission add flood 2026-07-12 6 HR,QM place=西湖区 people=张三,李四 rescued=3 转移被困群众\n"
        "查看任务记录（参与者和时长）：/mission 任务编号",
        "en": "Usage: /mission add TYPE DATE HOURS TEAMS [place=PLACE] [people=NAME1,NAME2] "
        "[rescued=N] [outcome=…] [notes…]\n"
        "e.g. /mission add flood 2026-07-12 6 HR,QM place=West-Lake people=Zhang,Li rescued=3 "
        "evacuated residents\n"
        "A mission's record (participants, hours): /mission ID",
    },
    "mission.error.date": {
        "zh": "日期“{value}”无法识别，请写成 YYYY-MM-DD，例如 2026-07-12。",
        "en": "“{value}” is not a date; write YYYY-MM-DD, e.g. 2026-07-12.",
    },
    "mission.error.hours": {
        "zh": "小时数“{value}”无效，请写大于 0、不超过 {max} 的数字，例如 5 或 2.5。",
        "en": "“{value}” is not a number of hours; write a number above 0 and up to {max}, e.g. 5 or 2.5.",
    },
    "mission.done": {
        "zh": "任务已记录。这是 {year} 年第 {number} 次任务（目标 {target} 次）。",
        "en": "Mission logged. This is mission {number} of {year} (target {target}).",
    },
    # --- the step-by-step dialog -----------------------------------------------------------
    "dialog.type": {"zh": "新召集：选择任务类型", "en": "New callout: choose the mission type"},
    "dialog.team": {
        "zh": "召集哪些队伍？点选一支或几支后按“完成”。已选：{teams}",
        "en": "Which teams? Tap one or more, then “Done”. Chosen: {teams}",
    },
    "dialog.all_teams": {"zh": "全部队伍", "en": "All teams"},
    "dialog.needed": {"zh": "需要多少人？", "en": "How many people are needed?"},
    "dialog.skills": {
        "zh": "需要哪些技能？点选后按“完成”（不选则不限）。已选：{skills}",
        "en": "Which skills are required? Tap them, then “Done” (none: any). Chosen: {skills}",
    },
    "dialog.done": {"zh": "完成", "en": "Done"},
    "dialog.describe": {
        "zh": "请输入地点和情况说明（第一个词为地点），例如：凤凰山西坡 徒步者脚踝受伤。也可以先发送位置。"
        "需要技能名额时加上 need=技能:人数，例如 need=boat:2。",
        "en": "Type the place and what happened (first word is the place), e.g.: "
        "Phoenix-Hill-west hiker with an injured ankle. You may share a location too. "
        "For skill slots add need=SKILL:N, e.g. need=boat:2.",
    },
    "dialog.confirm": {
        "zh": "确认发出？\n{summary}",
        "en": "Send this callout?\n{summary}",
    },
    "dialog.summary": {
        "zh": "类型：{type}\n队伍：{teams}\n人数：{needed}\n技能：{skills}\n地点：{place}\n说明：{description}{point}",
        "en": "Type: {type}\nTeams: {teams}\nNeeded: {needed}\nSkills: {skills}\nPlace: {place}\n"
        "Description: {description}{point}",
    },
    "dialog.point": {"zh": "\n📍 已附位置", "en": "\n📍 location attached"},
    "dialog.send": {"zh": "✅ 发出", "en": "✅ Send"},
    "dialog.abort": {"zh": "取消", "en": "Cancel"},
    "dialog.aborted": {"zh": "已放弃这个召集。", "en": "Callout discarded."},
    "dialog.expired": {
        "zh": "这个对话已过期，请重新发送 /callout。",
        "en": "This dialog has expired; send /callout again.",
    },
    "dialog.location": {"zh": "已附上位置。", "en": "Location attached."},
}

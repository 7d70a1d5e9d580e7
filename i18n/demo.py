"""Texts of `rescuebot demo`: the transcript's narration."""

MESSAGES: dict[str, dict[str, str]] = {
    "demo.title": {
        "zh": "══ rescuebot 演示：一名徒步者在峡谷中受伤 ══\n"
        "（本地 Bot API 沙盒，不需要令牌和网络；演示数据库：{db}）",
        "en": "══ rescuebot demo: a hiker injured in a valley ══\n"
        "(local Bot API sandbox, no token or network needed; demo database: {db})",
    },
    "demo.setup": {
        "zh": "演示数据：6 支队伍，{volunteers} 名队员，过去一年记录了 {missions} 次任务。{team}队长：{leader}。",
        "en": "Demo data: 6 teams, {volunteers} volunteers, {missions} missions logged over the past year. "
        "Leader of {team}: {leader}.",
    },
    "demo.place": {"zh": "石门峡谷", "en": "Shimen-Valley"},
    "demo.description": {
        "zh": "一名徒步者在峡谷步道摔伤脚踝，无法行走，需要担架转运",
        "en": "a hiker fell on the valley trail, cannot walk on a broken ankle, needs a stretcher carry",
    },
    "demo.close_notes": {"zh": "伤者已送医", "en": "casualty handed to the ambulance"},
    "demo.says": {"zh": "[{clock}] 👤 {who}：{text}", "en": "[{clock}] 👤 {who}: {text}"},
    "demo.taps": {
        "zh": "[{clock}] 👤 {who} 点击【{button}】",
        "en": "[{clock}] 👤 {who} taps [{button}]",
    },
    "demo.answer": {"zh": "           🤖 弹出提示：{text}", "en": "           🤖 pop-up: {text}"},
    "demo.bot_to": {"zh": "[{clock}] 🤖 → {who}：{text}", "en": "[{clock}] 🤖 → {who}: {text}"},
    "demo.pages": {
        "zh": "[{clock}] 🤖 → {count} 名队员各收到一条私信召集（示例，发给 {who}）：",
        "en": "[{clock}] 🤖 → {count} volunteers each got a private callout (this one to {who}):",
    },
    "demo.board": {
        "zh": "[{clock}] 📋 看板（{who} 的私聊，原地更新）：",
        "en": "[{clock}] 📋 The board ({who}'s private chat, edited in place):",
    },
    "demo.leader": {"zh": "{name}（队长）", "en": "{name} (leader)"},
    "demo.ok": {
        "zh": "✅ 演示完成：召集、升级、回复、满员、待命递补、到达现场、安全确认、结束、全员安全返回都已发生（用时 {seconds:.1f} 秒）。",
        "en": "✅ Demo complete: callout, escalation, replies, filled headcount, standby promoted, on scene, a missed safety check, close and everyone home safe all happened ({seconds:.1f} s).",
    },
    "demo.failed": {
        "zh": "❌ 演示失败：步骤“{step}”没有发生：{error}",
        "en": "❌ Demo failed: the step “{step}” did not happen: {error}",
    },
    "demo.too_few": {
        "zh": "可出队的队员只有 {count} 名，至少需要 {needed} 名",
        "en": "only {count} volunteers could be paged; at least {needed} are needed",
    },
    "demo.step.callout": {"zh": "队长发起召集", "en": "the leader calls out"},
    "demo.step.pages": {"zh": "队员收到召集", "en": "volunteers are paged"},
    "demo.step.replies": {"zh": "队员回复", "en": "volunteers reply"},
    "demo.step.filled": {"zh": "看板显示满员", "en": "the board fills"},
    "demo.step.close": {"zh": "队长结束任务", "en": "the leader closes the mission"},
}

"""Texts about delivery itself: pages still out during a Telegram outage, and who never
started the bot."""

MESSAGES: dict[str, dict[str, str]] = {
    "delivery.still_out": {
        "zh": "⚠️ 召集 #{id}：还有 {count} 条通知未送达（暂时连不上 Telegram）。"
        "机器人会一直重试，直到送达或召集结束。请电话联系：",
        "en": "⚠️ Callout #{id}: {count} pages not delivered yet (Telegram cannot be reached "
        "right now). The bot keeps trying until they arrive or the callout ends. "
        "Phone them:",
    },
    "delivery.still_out_more": {
        "zh": "……另有 {count} 人（/status 查看全部）",
        "en": "…and {count} more (/status shows everyone)",
    },
    "delivery.all_out": {
        "zh": "✅ 召集 #{id}：所有通知现已送达。",
        "en": "✅ Callout #{id}: every page has now been delivered.",
    },
    "undeliverable.not_started": {
        "zh": "从未打开过机器人（请他打开机器人并点“开始”）",
        "en": "never opened the bot (ask them to open it and press Start)",
    },
}

"""Several teams on one incident: quotas, slots and their board lines."""

MESSAGES: dict[str, dict[str, str]] = {
    "multiteam.error.quota": {
        "zh": "队伍名额“{value}”看不懂。请写成 team=队伍:人数，例如 team=HR:3,QM:3（人数 1–300）。",
        "en": "Team quota “{value}” is not clear. Write team=TEAM:N, e.g. team=HR:3,QM:3 "
        "(N from 1 to 300).",
    },
    "multiteam.error.slot": {
        "zh": "技能名额“{value}”看不懂。请写成 need=技能:人数，例如 need=water_rescue:2,boat:2。",
        "en": "Skill slot “{value}” is not clear. Write need=SKILL:N, e.g. "
        "need=water_rescue:2,boat:2.",
    },
    "multiteam.error.quota_sum": {
        "zh": "各队名额合计 {total} 人，但需要人数写的是 {needed}。请把需要人数写成 {total}。",
        "en": "The team quotas add up to {total} but the headcount says {needed}. "
        "Write {total} as the headcount.",
    },
    "multiteam.error.slot_sum": {
        "zh": "技能名额合计 {total} 人，超过需要人数 {needed}。请减少技能名额或增加人数。",
        "en": "The skill slots add up to {total}, more than the headcount of {needed}. "
        "Ask for fewer slots or more people.",
    },
    "multiteam.error.quota_coordinator": {
        "zh": "分队名额（team=队伍:人数）只有协调员可以用。",
        "en": "Per-team quotas (team=TEAM:N) are for coordinators.",
    },
    "multiteam.board.quotas": {"zh": "各队：{parts}", "en": "Teams: {parts}"},
    "multiteam.board.slots": {"zh": "技能名额：{parts}", "en": "Skill slots: {parts}"},
    "multiteam.page.quota": {
        "zh": "本队名额：{team} {needed} 人",
        "en": "Your team's places: {team} {needed}",
    },
    "multiteam.page.slots": {"zh": "技能名额：{parts}", "en": "Skill slots: {parts}"},
    "multiteam.error.join_refused": {
        "zh": "这个“加入”按钮不是发给你的，或已失效：只有收到重复提醒的召集人才能用它加入。"
        "请重新发送 /callout。",
        "en": "This Join button is not yours or no longer valid: only the caller who was warned "
        "about the duplicate can use it. Send /callout again.",
    },
    "multiteam.error.join_split": {
        "zh": "{needed} 人分不到加入的 {count} 支队伍（{teams}）：每支队伍至少要有 1 个名额。"
        "什么也没有改变。请重新发送 /callout 并写明各队名额（如 team={example}）或少选几支队伍，"
        "再加入；或点提醒上的“仍然发出”。",
        "en": "{needed} cannot be shared among the {count} joining teams ({teams}): each team "
        "needs at least one place. Nothing was changed. Send /callout again with each team's "
        "places (e.g. team={example}) or fewer teams, then join; or press “Page anyway” on the "
        "warning.",
    },
    "multiteam.join.already_all": {
        "zh": "你的队伍已在召集 #{id} 中：{teams}。所以召集没有改变：没有通知任何人，"
        "你要求的 {needed} 人、技能名额和集合地点都没有加入。进行中召集的名额不能增加："
        "需要更多人时，请协调员用 /widen {id} 通知其他队伍，或点提醒上的“仍然发出”另发一个召集；"
        "集合地点可以用 /update {id} 内容 告诉本队队员。",
        "en": "Your team is already on callout #{id}: {teams}. So the callout is unchanged: "
        "nobody was paged, and the {needed} people, skill slots and meeting point you asked for were "
        "not added. A running callout's places cannot be raised: for more people ask a "
        "coordinator to /widen {id} to other teams, or press “Page anyway” on the warning for "
        "a callout of your own; tell your team the meeting point with /update {id} text.",
    },
    "multiteam.join.team_quota": {
        "zh": "{team}（本队名额 {quota} 人）",
        "en": "{team} ({quota} places of its own)",
    },
    "multiteam.join.team_shared": {
        "zh": "{team}（没有单独名额，全召集需要 {needed} 人）",
        "en": "{team} (no quota of its own; the callout needs {needed})",
    },
    "multiteam.join.some_on": {
        "zh": "已在召集中的队伍没有重复通知，名额不变：{teams}。",
        "en": "Teams already on the callout were not paged again and keep their places: {teams}.",
    },
    "multiteam.join.not_added": {
        "zh": "你为它们要求的名额没有加入：{asked}。",
        "en": "The places you asked of them were not added: {asked}.",
    },
    "multiteam.join.split": {
        "zh": "你要求的 {needed} 人由加入的队伍平分（除不尽的人数归排在前面的队伍）：{shares}。",
        "en": "The {needed} you asked for are split evenly among the joining teams (any "
        "remainder to the first ones): {shares}.",
    },
    "multiteam.join.places": {"zh": "{team} {count} 人", "en": "{team} {count}"},
    "multiteam.error.whole_callout": {
        "zh": "整个召集 #{id} 只能由召集人或协调员结束或取消；你管理的是本队的部分。",
        "en": "Only the caller or a coordinator can close or cancel the whole callout #{id}; "
        "you manage your own team's part.",
    },
    "multiteam.board.part": {
        "zh": "  加入的队伍 {team}：{needed} 人 · {place}",
        "en": "  Joined: {team}, {needed} · {place}",
    },
    "multiteam.page.part": {
        "zh": "本队集合地点：{place}",
        "en": "Your team's meeting point: {place}",
    },
    "multiteam.board.last_update": {"zh": "最近通报：{time}", "en": "Last update {time}"},
    "multiteam.update.usage": {
        "zh": "用法：/update 编号 内容（例如 /update 3 集合点改到北门，带上绳索）；"
        "也可以直接回复看板消息。",
        "en": "Usage: /update ID text (e.g. /update 3 meeting point moved to the north gate, "
        "bring ropes); or reply to the board.",
    },
    "multiteam.update.too_long": {
        "zh": "通报太长（{length} 个字符，最多 {max} 个），请写得简短些。",
        "en": "The update is too long ({length} characters, at most {max}); keep it short.",
    },
    "multiteam.update.message": {
        "zh": "📢 召集 #{id}（{type}）通报，来自 {author}：\n{text}",
        "en": "📢 Update on callout #{id} ({type}) from {author}:\n{text}",
    },
    "multiteam.update.sent": {
        "zh": "通报已发给召集 #{id} 的 {count} 位已确认和待命的队员。",
        "en": "Update sent to {count} confirmed and standby responders of callout #{id}.",
    },
    "help.cmd.update": {
        "zh": "/update 编号 内容 — 通报已确认和待命的队员（也可回复看板）",
        "en": "/update ID text — tell the confirmed and standby responders (or reply to the board)",
    },
    "multiteam.escalation.unreached": {
        "zh": "另有 {count} 人收不到召集消息，请打电话：",
        "en": "{count} could not be reached by message; ring them:",
    },
    "multiteam.board.team_part": {
        "zh": "本队部分：{team} · 全部已确认 {confirmed}/{needed}",
        "en": "Your team's part: {team} · overall confirmed {confirmed}/{needed}",
    },
    "multiteam.part.cancelled": {
        "zh": "已取消召集 #{id} 中 {team} 的部分：本队队员已解除；其他队伍继续。",
        "en": "{team}'s part of callout #{id} is cancelled: your team is stood down; "
        "the other teams carry on.",
    },
    "multiteam.tap.part_cancelled": {
        "zh": "你所在队伍在召集 #{id} 中的部分已取消，无需出队。",
        "en": "Your team's part of callout #{id} was cancelled: no need to go.",
    },
    "multiteam.page.busy": {
        "zh": "⚠️ 你已确认参加召集 #{id}。",
        "en": "⚠️ You are on callout #{id}.",
    },
    "multiteam.tap.busy": {
        "zh": "你已确认参加召集 #{other}，请先选择去哪一个。",
        "en": "You are confirmed on callout #{other}: choose which one first.",
    },
    "multiteam.busy.ask": {
        "zh": "你已确认参加召集 #{other}。要退出 #{other} 改去 #{id}，还是留在 #{other}？",
        "en": "You are confirmed on callout #{other}. Leave #{other} and go to #{id}, "
        "or stay on #{other}?",
    },
    "multiteam.button.swap": {"zh": "改去 #{id}", "en": "Go to #{id} instead"},
    "multiteam.button.stay": {"zh": "留在 #{other}", "en": "Stay on #{other}"},
    "multiteam.busy.stayed": {
        "zh": "好的，你留在召集 #{other}。",
        "en": "Fine: you stay on callout #{other}.",
    },
    "multiteam.board.busy": {
        "zh": "在其他召集中 {count}：{names}",
        "en": "On another callout {count}: {names}",
    },
    "multiteam.away.ask": {
        "zh": "你已确认参加召集 #{id}。外出期间要退出吗？退出后待命的人会补上。",
        "en": "You are confirmed on callout #{id}. Withdraw while you are away? "
        "The first standby volunteer takes your place.",
    },
    "multiteam.button.withdraw": {"zh": "退出 #{id}", "en": "Withdraw from #{id}"},
    "multiteam.button.going_too": {"zh": "我也出队", "en": "I'm going too"},
    "multiteam.going_too.not_caller": {
        "zh": "这个按钮只给发起召集的人（且在名册上）。",
        "en": "This button is for the caller (on the roster) only.",
    },
    "multiteam.button.mute": {"zh": "不再提醒", "en": "Mute"},
    "multiteam.escalation.again": {"zh": "⏰ 再次提醒：", "en": "⏰ Again:"},
    "multiteam.escalation.muted": {
        "zh": "召集 #{id} 不再向协调员重复提醒。",
        "en": "No more repeated alerts for callout #{id}.",
    },
    "multiteam.dialog.fitness_yes": {
        "zh": "体能：需要 12 个月内体能合格",
        "en": "Fitness: a pass from the last 12 months is required",
    },
    "multiteam.dialog.fitness_no": {"zh": "体能：不要求", "en": "Fitness: not required"},
    "multiteam.dialog.waive": {"zh": "免除体能要求", "en": "Waive the fitness pass"},
    "multiteam.dialog.require": {"zh": "要求体能合格", "en": "Require a fitness pass"},
}

"""Texts for linking, help, /me, /lang, /away, /invite, /roster and chat imports."""

MESSAGES: dict[str, dict[str, str]] = {
    "role.member": {"zh": "队员", "en": "member"},
    "role.deputy": {"zh": "副队长", "en": "deputy leader"},
    "role.leader": {"zh": "队长", "en": "team leader"},
    "role.coordinator": {"zh": "协调员", "en": "coordinator"},
    # --- /start and linking ---------------------------------------------------
    "start.ask_phone": {
        "zh": "你好！这是救援队出队召集机器人。请点击下方“分享手机号”按钮，我会用名册中的手机号找到你。"
        "\n如果手机号对不上，请向队长要一个邀请码，然后发送 /start 邀请码。",
        "en": "Hello! This is the rescue-team callout bot. Tap “Share phone number” below and I will find "
        "you in the roster by your phone.\nIf the number does not match, ask your leader for an "
        "invite code and send /start CODE.",
    },
    "start.share_button": {"zh": "📱 分享手机号", "en": "📱 Share phone number"},
    "start.linked": {
        "zh": "已绑定：{name}，{team}，{role}。出队召集会发到这里。",
        "en": "Linked: {name}, {team}, {role}. Callouts will reach you here.",
    },
    "start.not_own_contact": {
        "zh": "只能分享你自己的手机号：请点击“分享手机号”按钮，不要转发别人的名片。",
        "en": "Only your own number links your account: tap “Share phone number”, don't forward someone else's contact.",
    },
    "start.phone_unknown": {
        "zh": "名册中没有这个手机号。请联系队长更新名册，或向队长要一个邀请码：/start 邀请码",
        "en": "This phone number is not in the roster. Ask your leader to update it, or for an invite code: /start CODE",
    },
    "start.already_linked": {
        "zh": "这个名册条目已绑定另一个 Telegram 账号。请联系队长处理。",
        "en": "This roster entry is linked to another Telegram account. Please ask your leader.",
    },
    "error.invite_unknown": {
        "zh": "邀请码无效。请检查后重试，或向队长要一个新的。",
        "en": "That invite code is not valid. Check it, or ask your leader for a new one.",
    },
    "error.invite_used": {
        "zh": "这个邀请码已经用过了，每个邀请码只能用一次。请向队长要一个新的。",
        "en": "That invite code has been used; each works once. Ask your leader for a new one.",
    },
    # --- /help ------------------------------------------------------------------
    "help.title.unknown": {
        "zh": "你还没有绑定账号。可用命令：",
        "en": "Your account is not linked yet. You can use:",
    },
    "help.title.member": {"zh": "队员可用命令：", "en": "Commands for volunteers:"},
    "help.title.deputy": {"zh": "副队长可用命令：", "en": "Commands for deputy leaders:"},
    "help.title.leader": {"zh": "队长可用命令：", "en": "Commands for team leaders:"},
    "help.title.coordinator": {"zh": "协调员可用命令：", "en": "Commands for coordinators:"},
    "help.cmd.start": {
        "zh": "/start — 分享手机号绑定账号；/start 邀请码 — 用邀请码绑定",
        "en": "/start — share your phone to link; /start CODE — link with an invite code",
    },
    "help.cmd.me": {"zh": "/me — 我的档案", "en": "/me — your record"},
    "help.cmd.away": {
        "zh": "/away 天数 或 /away YYYY-MM-DD — 外出期间不接收召集",
        "en": "/away DAYS or /away YYYY-MM-DD — no callouts while away",
    },
    "help.cmd.back": {"zh": "/back — 已回来，可以接收召集", "en": "/back — back, callouts again"},
    "help.cmd.lang": {"zh": "/lang zh|en — 切换语言", "en": "/lang zh|en — language"},
    "help.cmd.help": {"zh": "/help — 本帮助", "en": "/help — this help"},
    "help.cmd.callout": {
        "zh": "/callout 类型 人数 地点和说明 [skills=技能] [team=队伍|all] [fit=yes|no] — 发起召集（无参数则逐步引导）",
        "en": "/callout TYPE NEEDED PLACE AND DESCRIPTION [skills=a,b] [team=CODE|all] [fit=yes|no] — call out (no arguments: step by step)",
    },
    "help.cmd.status": {"zh": "/status [编号] — 召集状态板", "en": "/status [ID] — callout board"},
    "help.cmd.cancel": {
        "zh": "/cancel 编号 [原因] — 取消召集",
        "en": "/cancel ID [reason] — stand everyone down",
    },
    "help.cmd.close": {
        "zh": "/close 编号 [rescued=人数] [备注] — 结束并记录任务",
        "en": "/close ID [rescued=N] [notes] — end and log the mission",
    },
    "help.cmd.widen": {
        "zh": "/widen 编号 [team=队伍|all] — 扩大召集到其他队伍",
        "en": "/widen ID [team=CODE|all] — page other teams too",
    },
    "help.cmd.mission": {
        "zh": "/mission add 类型 日期 小时 队伍 [place=地点] [people=姓名,…] [rescued=人数] [备注] — 补录任务；"
        "/mission 编号 — 任务记录和时长",
        "en": "/mission add TYPE DATE HOURS TEAMS [place=…] [people=NAME,…] [rescued=N] [notes] — "
        "log a past mission; /mission ID — a mission's record and hours",
    },
    "help.cmd.roster": {"zh": "/roster [队伍] — 队员名单", "en": "/roster [team] — the roster"},
    "help.cmd.invite": {
        "zh": "/invite 姓名或手机号 — 生成一次性邀请码",
        "en": "/invite NAME OR PHONE — one-time invite code",
    },
    "help.cmd.insurance": {"zh": "/insurance — 保险情况", "en": "/insurance — insurance cover"},
    "help.cmd.training": {
        "zh": "/training [add 日期 小时 标题] — 培训记录",
        "en": "/training [add DATE HOURS TITLE] — training records",
    },
    "help.cmd.fitness": {
        "zh": "/fitness 姓名或手机号 项目=成绩 … — 录入体能测试",
        "en": "/fitness NAME OR PHONE item=value … — record a fitness test",
    },
    "help.cmd.cert": {
        "zh": "/cert 姓名或手机号 技能 发证日期 [expires=到期日] — 录入技能证书",
        "en": "/cert NAME OR PHONE SKILL DATE [expires=YYYY-MM-DD] — record a certificate",
    },
    "help.cmd.import": {
        "zh": "发送文件并附说明 /import roster|training|fitness|insurance — 批量导入",
        "en": "Send a file with the caption /import roster|training|fitness|insurance — bulk import",
    },
    "help.cmd.missions": {
        "zh": "/missions [年份] — 年度任务",
        "en": "/missions [year] — the year's missions",
    },
    "help.cmd.report": {
        "zh": "/report missions|training|insurance|roster|readiness [年份] — 报表",
        "en": "/report missions|training|insurance|roster|readiness [year] — reports",
    },
    # --- /me --------------------------------------------------------------------
    "me.title": {"zh": "📋 {name} 的档案", "en": "📋 Record of {name}"},
    "me.team": {"zh": "队伍：{team}（{code}）", "en": "Team: {team} ({code})"},
    "me.role": {"zh": "职务：{role}", "en": "Role: {role}"},
    "me.phone": {"zh": "手机：{phone}", "en": "Phone: {phone}"},
    "me.skills": {"zh": "技能：{skills}", "en": "Skills: {skills}"},
    "me.skill_until": {"zh": "{skill}（至 {date}）", "en": "{skill} (until {date})"},
    "me.skill_expired": {"zh": "{skill}（{date} 已过期）", "en": "{skill} (expired {date})"},
    "me.none": {"zh": "无", "en": "none"},
    "me.away": {
        "zh": "外出至 {date}，期间不接收召集",
        "en": "Away until {date}: no callouts until then",
    },
    "me.coordinator": {
        "zh": "你是指挥中心协调员（不在队员名册中）。发送 /help 查看命令。",
        "en": "You are a bureau coordinator (not on a team roster). Send /help for commands.",
    },
    # --- /lang, /away, /back ----------------------------------------------------
    "lang.usage": {"zh": "用法：/lang zh 或 /lang en", "en": "Usage: /lang zh or /lang en"},
    "lang.set": {"zh": "好的，以后用中文。", "en": "OK, English from now on."},
    "away.usage": {
        "zh": "用法：/away 天数（1–365）或 /away YYYY-MM-DD（最后一天），例如 /away 3",
        "en": "Usage: /away DAYS (1–365) or /away YYYY-MM-DD (last day away), e.g. /away 3",
    },
    "away.past": {
        "zh": "{date} 已经过去了，请给出今天或以后的日期。",
        "en": "{date} is in the past; give today or a later date.",
    },
    "away.set": {
        "zh": "已记录：外出至 {date}（含），期间不会收到召集。回来后发送 /back。",
        "en": "Noted: away through {date}; no callouts until then. Send /back when you return.",
    },
    "away.back": {
        "zh": "欢迎回来，你会重新收到召集。",
        "en": "Welcome back; callouts will reach you again.",
    },
    # --- finding one person by name or phone (/invite, /fitness, /cert) ---------
    "person.not_found": {
        "zh": "名册中没有“{query}”（队长只能查找本队队员）。",
        "en": "No one matching “{query}” on the roster (leaders find their own team only).",
    },
    "person.ambiguous": {
        "zh": "“{query}”对应多人：{names}。请用手机号。",
        "en": "“{query}” matches several people: {names}. Use the phone number.",
    },
    # --- /invite ----------------------------------------------------------------
    "invite.usage": {
        "zh": "用法：/invite 姓名或手机号，例如 /invite 张伟",
        "en": "Usage: /invite NAME OR PHONE, e.g. /invite Zhang Wei",
    },
    "invite.created": {
        "zh": "{name} 的一次性邀请码：{code}\n请对方发送 /start {code}，或打开 {link}",
        "en": "One-time invite code for {name}: {code}\nThey send /start {code}, or open {link}",
    },
    # --- /roster ----------------------------------------------------------------
    "roster.usage": {
        "zh": "请指定队伍：/roster 队伍代码，例如 /roster SD",
        "en": "Name a team: /roster CODE, e.g. /roster SD",
    },
    "roster.other_team": {
        "zh": "你只能查看本队名单，不能查看 {team}。",
        "en": "You can see your own team's roster, not {team}'s.",
    },
    "roster.title": {
        "zh": "👥 {team}（{code}）：{count} 人",
        "en": "👥 {team} ({code}): {count} people",
    },
    "roster.line": {
        "zh": "• {name} {phone} [{skills}]{flags}",
        "en": "• {name} {phone} [{skills}]{flags}",
    },
    "roster.not_linked": {"zh": "未绑定", "en": "not linked"},
    "roster.inactive": {"zh": "停用", "en": "inactive"},
    "roster.away": {"zh": "外出至 {date}", "en": "away until {date}"},
    "roster.phones_hidden": {
        "zh": "（手机号只在私聊中显示给本队队长和协调员）",
        "en": "(phone numbers are shown only in private chat to the team's leaders and coordinators)",
    },
    # --- imports in chat --------------------------------------------------------
    "import.usage": {
        "zh": "请在文件说明中写明导入类型：/import {kinds}",
        "en": "Put the kind in the file's caption: /import {kinds}",
    },
    "import.too_big": {
        "zh": "文件太大（上限 10 MB）。",
        "en": "The file is too big (10 MB at most).",
    },
}

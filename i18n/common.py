"""Texts shared by every feature: errors, the command line, imports, menus."""

MESSAGES: dict[str, dict[str, str]] = {
    # --- generic errors -------------------------------------------------------
    "error.internal": {
        "zh": "抱歉，出了点问题，已记录。请稍后再试，紧急情况请直接打电话。",
        "en": "Sorry, something went wrong and it has been logged. Try again; in an emergency, phone.",
    },
    "error.not_allowed": {
        "zh": "你没有权限执行这个操作。",
        "en": "You are not allowed to do that.",
    },
    "error.leaders_only": {
        "zh": "这个命令只对队长、副队长和协调员开放。",
        "en": "This command is for team leaders, deputies and coordinators.",
    },
    "error.coordinators_only": {
        "zh": "这个命令只对指挥中心协调员开放。",
        "en": "This command is for the bureau's coordinators.",
    },
    "error.unknown_person": {
        "zh": "还不认识你。请发送 /start 并点击“分享手机号”按钮，或使用队长给你的邀请码：/start 邀请码",
        "en": "I don't know you yet. Send /start and tap “Share phone number”, or use the invite code your leader gave you: /start CODE",
    },
    "error.private_only": {
        "zh": "这里涉及个人信息，请在与机器人的私聊中使用。",
        "en": "This shows personal data; use it in your private chat with the bot.",
    },
    "error.no_token": {
        "zh": "没有设置 TELEGRAM_BOT_TOKEN。请在环境变量或 .env 文件中设置机器人令牌（见 .env.example）。",
        "en": "TELEGRAM_BOT_TOKEN is not set. Put the bot token in the environment or a .env file (see .env.example).",
    },
    "error.bad_date": {
        "zh": "日期“{value}”无法识别，请写成 YYYY-MM-DD，例如 2026-03-05。",
        "en": "“{value}” is not a date; write YYYY-MM-DD, e.g. 2026-03-05.",
    },
    "error.bad_phone": {
        "zh": "手机号“{value}”无效，例如 138 0000 0000 或 +86 138 0000 0000。",
        "en": "“{value}” is not a valid phone number, e.g. 138 0000 0000 or +86 138 0000 0000.",
    },
    "error.unknown_team": {
        "zh": "没有队伍“{value}”。可用的队伍代码：{teams}",
        "en": "There is no team “{value}”. Team codes: {teams}",
    },
    "error.unknown_skill": {
        "zh": "没有技能“{value}”。可用技能：{skills}",
        "en": "There is no skill “{value}”. Skills: {skills}",
    },
    "error.no_such_file": {
        "zh": "找不到文件 {name}。",
        "en": "No such file: {name}.",
    },
    "error.file_format": {
        "zh": "文件 {name} 不是 CSV 或 XLSX，请另存为 .csv（UTF-8）或 .xlsx 后重试。",
        "en": "{name} is not a CSV or XLSX file; save it as .csv (UTF-8) or .xlsx and try again.",
    },
    "error.file_empty": {
        "zh": "文件 {name} 是空的：第一行应是表头。",
        "en": "{name} is empty: the first line should be the header.",
    },
    "error.file_encoding": {
        "zh": "CSV 文件不是 UTF-8 编码。请在 Excel 中“另存为 CSV UTF-8”后重试。",
        "en": "The CSV file is not UTF-8. In Excel use “Save as CSV UTF-8” and try again.",
    },
    "error.file_unreadable": {
        "zh": "无法读取这个 XLSX 文件，可能已损坏。请重新保存后再试。",
        "en": "This XLSX file cannot be read; it may be damaged. Save it again and retry.",
    },
    "error.missing_column": {
        "zh": "第 {line} 行的表头缺少“{column}”列。",
        "en": "The header (line {line}) lacks the column “{column}”.",
    },
    "error.export_format": {
        "zh": "无法导出为 {name}：文件名请以 .csv 或 .xlsx 结尾。",
        "en": "Cannot export to {name}: the file name must end in .csv or .xlsx.",
    },
    "error.import_kind": {
        "zh": "不能导入“{kind}”。可导入：{kinds}",
        "en": "Cannot import “{kind}”. Possible: {kinds}",
    },
    "error.export_kind": {
        "zh": "不能导出“{kind}”。可导出：{kinds}",
        "en": "Cannot export “{kind}”. Possible: {kinds}",
    },
    "error.bad_year": {
        "zh": "年份“{value}”无效，例如 2026。",
        "en": "“{value}” is not a year, e.g. 2026.",
    },
    # --- imports and exports --------------------------------------------------
    "import.done": {
        "zh": "导入 {kind} 完成：新增 {created}，更新 {updated}，未变 {unchanged}。",
        "en": "Imported {kind}: {created} new, {updated} updated, {unchanged} unchanged.",
    },
    "import.rejected": {
        "zh": "导入 {kind} 被拒绝，数据未作任何改动。有 {count} 行需要修改：",
        "en": "Import of {kind} rejected; nothing was changed. {count} rows need fixing:",
    },
    "import.row_error": {
        "zh": "第 {line} 行：{text}",
        "en": "line {line}: {text}",
    },
    "export.done": {
        "zh": "已导出 {count} 行到 {file}。",
        "en": "Exported {count} rows to {file}.",
    },
    # --- command line ---------------------------------------------------------
    "cli.init_done": {
        "zh": "数据库 {db} 已就绪（结构版本 {version}）。",
        "en": "Database {db} is ready (schema version {version}).",
    },
    "cli.demo_exists": {
        "zh": "数据库 {db} 已有队员，未添加演示数据。请换一个 RESCUEBOT_DB 文件。",
        "en": "{db} already has volunteers; demo data not added. Use another RESCUEBOT_DB file.",
    },
    "cli.team_line": {
        "zh": "  {code:<4} {name}：{count} 人",
        "en": "  {code:<4} {name}: {count} volunteers",
    },
    "cli.total_volunteers": {
        "zh": "共 {count} 名队员。",
        "en": "{count} volunteers in all.",
    },
    "cli.granted": {
        "zh": "Telegram 用户 {id} 现在是协调员。",
        "en": "Telegram user {id} is now a coordinator.",
    },
    "cli.revoked": {
        "zh": "已撤销 Telegram 用户 {id} 的协调员权限。",
        "en": "Telegram user {id} is no longer a coordinator.",
    },
    "cli.not_coordinator": {
        "zh": "Telegram 用户 {id} 本来就不是协调员。",
        "en": "Telegram user {id} was not a coordinator.",
    },
    "cli.backup_done": {
        "zh": "数据库已备份到 {file}。",
        "en": "Database backed up to {file}.",
    },
    # --- command menu (setMyCommands) -----------------------------------------
    "menu.start": {"zh": "绑定账号 / 开始", "en": "Link your account / start"},
    "menu.help": {"zh": "我能用的命令", "en": "Commands you can use"},
    "menu.me": {"zh": "我的档案", "en": "Your record"},
    "menu.callout": {"zh": "发起出队召集（队长/协调员）", "en": "Call out a team (leaders)"},
    "menu.status": {"zh": "进行中的召集", "en": "Open callouts"},
    "menu.away": {"zh": "外出不可出队：/away 天数 或 日期", "en": "Away: /away days or date"},
    "menu.back": {"zh": "已回来，可以出队", "en": "Back and available"},
    "menu.lang": {"zh": "语言：/lang zh 或 en", "en": "Language: /lang zh or en"},
    "menu.roster": {"zh": "队员名单（队长/协调员）", "en": "Roster (leaders)"},
    "menu.insurance": {"zh": "保险情况（队长/协调员）", "en": "Insurance (leaders)"},
    "menu.training": {"zh": "培训记录（队长/协调员）", "en": "Training (leaders)"},
    "menu.fitness": {"zh": "体能测试（队长/协调员）", "en": "Fitness tests (leaders)"},
    "menu.missions": {"zh": "本年度任务", "en": "This year's missions"},
    "menu.report": {"zh": "报表（队长/协调员）", "en": "Reports (leaders)"},
}

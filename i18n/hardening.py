"""Texts for start-up failures, backups and out-of-range input."""

MESSAGES: dict[str, dict[str, str]] = {
    # --- the database cannot be used (every command, one line) ------------------
    "error.db_not_a_database": {
        "zh": "数据库文件 {db} 不是 SQLite 数据库或已损坏。请检查 RESCUEBOT_DB，或用备份恢复。",
        "en": "The database file {db} is not an SQLite database or is damaged. Check RESCUEBOT_DB or restore a backup.",
    },
    "error.db_read_only": {
        "zh": "数据库文件 {db} 只读，无法写入。请让运行机器人的用户对该文件及其所在目录有写权限。",
        "en": "The database file {db} is read-only. Give the user running the bot write access to the file and its folder.",
    },
    "error.db_locked": {
        "zh": "数据库文件 {db} 被另一个程序锁住，等待后仍未释放。请关闭占用它的程序后重试。",
        "en": "The database file {db} is locked by another program and stayed locked. Close that program and try again.",
    },
    "error.db_unusable": {
        "zh": "无法使用数据库文件 {db}：{reason}",
        "en": "Cannot use the database file {db}: {reason}",
    },
    "error.db_missing": {
        "zh": "没有数据库文件 {db}。请检查 RESCUEBOT_DB，或先运行 rescuebot init。",
        "en": "There is no database file {db}. Check RESCUEBOT_DB, or run rescuebot init first.",
    },
    "error.already_running": {
        "zh": "另一个 rescuebot run 已在使用数据库 {db}（锁文件 {lock}）。同一数据库只能运行一个机器人。",
        "en": "Another rescuebot run is already using the database {db} (lock file {lock}). Only one bot may run on a database.",
    },
    "error.unexpected": {
        "zh": "意外错误（{kind}）：{reason}",
        "en": "Unexpected error ({kind}): {reason}",
    },
    # --- backups ---------------------------------------------------------------
    "error.backup_onto_live": {
        "zh": "不能把数据库备份到它自己（{file}）。请选择另一个文件名。",
        "en": "Cannot back the database up onto itself ({file}). Choose another file name.",
    },
    "error.backup_exists": {
        "zh": "文件 {file} 已存在，未覆盖。请换一个文件名，或加 --force 覆盖它。",
        "en": "{file} already exists and was not overwritten. Choose another name, or add --force to replace it.",
    },
    # --- the token and the network at start-up ----------------------------------
    "error.token_placeholder": {
        "zh": "TELEGRAM_BOT_TOKEN 仍是 .env.example 中的示例值。请填入从 @BotFather 获得的令牌。",
        "en": "TELEGRAM_BOT_TOKEN is still the example value from .env.example. Put in the token @BotFather gave you.",
    },
    "error.token_malformed": {
        "zh": "TELEGRAM_BOT_TOKEN 格式不对：应为“数字:字母数字串”，例如 123456789:AA…（从 @BotFather 获得）。",
        "en": "TELEGRAM_BOT_TOKEN is malformed: it should be digits, a colon and letters, e.g. 123456789:AA… (from @BotFather).",
    },
    "error.token_rejected": {
        "zh": "Telegram 拒绝了 TELEGRAM_BOT_TOKEN 中的令牌（401）。请检查令牌，或在 @BotFather 重新生成。",
        "en": "Telegram rejected the token in TELEGRAM_BOT_TOKEN (401). Check it, or generate a new one with @BotFather.",
    },
    "error.network_at_startup": {
        "zh": "{seconds} 秒内无法连接 Telegram（{url}）：{reason}。请检查网络和 TELEGRAM_API_URL。",
        "en": "Could not reach Telegram ({url}) within {seconds} s: {reason}. Check the network and TELEGRAM_API_URL.",
    },
    "error.telegram_at_startup": {
        "zh": "启动时 Telegram 返回错误：{reason}",
        "en": "Telegram refused at start-up: {reason}",
    },
    # --- buttons -----------------------------------------------------------------
    "button.outdated": {
        "zh": "这个按钮已失效。请重新发送相应的命令。",
        "en": "This button is out of date. Send the command again.",
    },
    # --- numbers and dates out of range ------------------------------------------
    "error.bad_number": {
        "zh": "“{value}”不是可用的数字，请写 0 到 {max} 之间的普通数字（0-9）。",
        "en": "“{value}” is not a usable number; write plain digits (0-9) from 0 to {max}.",
    },
    "error.future_date": {
        "zh": "日期 {value} 在未来。这里只能填写今天或以前的日期。",
        "en": "{value} is in the future; only today or earlier can be recorded here.",
    },
    "error.control_characters": {
        "zh": "“{value}”含有不可见的控制字符，请去掉后重试。",
        "en": "“{value}” contains invisible control characters; remove them and try again.",
    },
}

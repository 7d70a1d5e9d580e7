"""The command line's --help texts (`rescuebot --help`, `rescuebot <command> --help`)."""

MESSAGES: dict[str, dict[str, str]] = {
    "cli.help.description": {"zh": "救援队出队召集机器人", "en": "Rescue-team callout bot"},
    "cli.help.init": {"zh": "创建或升级数据库", "en": "create or migrate the database"},
    "cli.help.init_demo": {"zh": "加入演示数据", "en": "add the demo data set"},
    "cli.help.init_seed": {"zh": "演示数据的随机种子", "en": "random seed of the demo data"},
    "cli.help.run": {"zh": "运行机器人（长轮询）", "en": "run the bot (long polling)"},
    "cli.help.run_webhook": {"zh": "webhook 模式：公网地址", "en": "webhook mode: the public URL"},
    "cli.help.run_listen": {
        "zh": "webhook 模式：监听地址",
        "en": "webhook mode: address to listen on",
    },
    "cli.help.run_port": {"zh": "webhook 模式：端口", "en": "webhook mode: port"},
    "cli.help.demo": {
        "zh": "在本地模拟服务器上演示一次出队",
        "en": "play a scripted incident against the local sandbox",
    },
    "cli.help.demo_lang": {"zh": "演示使用的语言", "en": "language of the demo"},
    "cli.help.demo_dashboard": {
        "zh": "演示结束后继续运行机器人和看板",
        "en": "keep the bot and dashboard running afterwards",
    },
    "cli.help.import": {
        "zh": "导入 CSV 或 XLSX 文件（全部成功或全部不导入）",
        "en": "import a CSV or XLSX file (all or nothing)",
    },
    "cli.help.import_kind": {"zh": "导入什么", "en": "what the file holds"},
    "cli.help.import_file": {"zh": "CSV 或 XLSX 文件", "en": "the CSV or XLSX file"},
    "cli.help.export": {"zh": "导出为 .csv 或 .xlsx", "en": "export to .csv or .xlsx"},
    "cli.help.export_kind": {"zh": "导出什么", "en": "what to export"},
    "cli.help.export_year": {"zh": "只导出这一年", "en": "only this year"},
    "cli.help.export_out": {"zh": "输出文件（.csv 或 .xlsx）", "en": "output file (.csv or .xlsx)"},
    "cli.help.report": {"zh": "打印报表", "en": "print a report"},
    "cli.help.report_kind": {"zh": "哪一份报表", "en": "which report"},
    "cli.help.report_year": {"zh": "统计这一年", "en": "the year to report on"},
    "cli.help.grant": {"zh": "授予协调员角色", "en": "grant the coordinator role"},
    "cli.help.revoke": {"zh": "撤销协调员角色", "en": "revoke the coordinator role"},
    "cli.help.role": {"zh": "角色", "en": "the role"},
    "cli.help.telegram_id": {
        "zh": "此人的 Telegram 数字 ID",
        "en": "the person's numeric Telegram ID",
    },
    "cli.help.grant_name": {"zh": "显示的名字", "en": "name to show"},
    "cli.help.dashboard_link": {
        "zh": "生成带签名的只读看板链接",
        "en": "a signed read-only dashboard link",
    },
    "cli.help.link_hours": {"zh": "有效小时数（默认 24）", "en": "valid for (default 24)"},
    "cli.help.link_team": {"zh": "只看这个队的出队", "en": "only this team's callouts"},
    "cli.help.link_revoke_all": {"zh": "让所有链接和会话失效", "en": "end every link and session"},
    "cli.help.backup": {
        "zh": "一致地复制运行中的数据库",
        "en": "consistent copy of the live database",
    },
    "cli.help.backup_file": {"zh": "备份文件", "en": "the backup file"},
    "cli.help.backup_force": {
        "zh": "备份文件已存在时覆盖它",
        "en": "replace the backup file if it exists",
    },
}

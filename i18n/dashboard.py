"""The dashboard: the /dashboard command, `rescuebot dashboard-link`, and the page's own texts
(every `dashboard.*` key is sent to the page in the viewer's language)."""

MESSAGES = {
    "menu.dashboard": {"zh": "值班看板（网页）", "en": "Duty dashboard (web page)"},
    "help.cmd.dashboard": {
        "zh": "/dashboard — 实时值班看板（网页：召集、地图、可出队人数）",
        "en": "/dashboard — live duty dashboard (web page: callouts, map, readiness)",
    },
    "dash.open_app": {
        "zh": "点下面的按钮，在 Telegram 里打开值班看板：进行中的召集、地图、各队可出队人数、本年任务。",
        "en": "Tap the button below to open the duty dashboard in Telegram: open callouts, the map, readiness and this year's missions.",
    },
    "dash.button": {"zh": "打开看板", "en": "Open the dashboard"},
    "dash.link": {
        "zh": "你的值班看板链接（{hours} 小时内有效，仅限本人，请勿转发）：\n{url}",
        "en": "Your dashboard link (valid for {hours} hours, for you only — do not forward it):\n{url}",
    },
    "dash.off": {
        "zh": "看板网页未开启（RESCUEBOT_WEB_PORT=0）。请管理员设置端口后重启机器人。",
        "en": "The dashboard web server is off (RESCUEBOT_WEB_PORT=0). Ask the operator to set a port and restart the bot.",
    },
    "cli.dash_link": {
        "zh": "只读看板链接（大屏用，不显示电话），有效至 {until}：\n{url}",
        "en": "Read-only dashboard link (for a wall screen, no phone numbers), valid until {until}:\n{url}",
    },
    "cli.dash_revoked": {
        "zh": "所有看板链接和已打开的看板会话均已作废。",
        "en": "Every dashboard link and open dashboard session has been revoked.",
    },
    "cli.dash_hours": {
        "zh": "--hours 应为 1 到 {max} 之间的小时数（例如 24 或 1.5），收到 {value}。",
        "en": "--hours must be a number of hours from 1 to {max} (e.g. 24 or 1.5), not {value}.",
    },
    "cli.dash_port_busy": {
        "zh": "看板网页未启动：端口 {port} 无法使用（{error}）。请改 RESCUEBOT_WEB_PORT（0 = 关闭）。",
        "en": "Dashboard not started: port {port} cannot be used ({error}). Set RESCUEBOT_WEB_PORT (0 = off).",
    },
    "demo.dashboard_running": {
        "zh": "演示结束，机器人和看板仍在运行：在浏览器里打开上面的链接。按 Ctrl-C 退出。",
        "en": "The incident is over; the bot and the dashboard keep running: open the link above in a browser. Ctrl-C to quit.",
    },
    # --- the page ---------------------------------------------------------------------
    "dashboard.title": {"zh": "值班看板", "en": "Duty dashboard"},
    "dashboard.viewer.coordinator": {"zh": "协调员视图", "en": "Coordinator view"},
    "dashboard.viewer.leader": {"zh": "队长视图：{team}", "en": "Team leader view: {team}"},
    "dashboard.viewer.wall": {
        "zh": "大屏（只读，不显示电话）",
        "en": "Wall screen (read-only, no phone numbers)",
    },
    "dashboard.live": {"zh": "实时", "en": "Live"},
    "dashboard.reconnecting": {"zh": "连接中断，正在重连…", "en": "Connection lost, reconnecting…"},
    "dashboard.updated": {"zh": "更新于", "en": "Updated"},
    "dashboard.unauthorized": {
        "zh": "无法打开看板：链接无效、已过期或已被撤销。请在机器人里重新发送 /dashboard。",
        "en": "Cannot open the dashboard: the link is invalid, expired or revoked. Send /dashboard to the bot again.",
    },
    "dashboard.callouts": {"zh": "进行中的召集", "en": "Open callouts"},
    "dashboard.no_callouts": {"zh": "目前没有进行中的召集。", "en": "No open callouts right now."},
    "dashboard.confirmed": {"zh": "已确认", "en": "Confirmed"},
    "dashboard.needed": {"zh": "需要", "en": "needed"},
    "dashboard.teams": {"zh": "队伍", "en": "Teams"},
    "dashboard.skills": {"zh": "技能", "en": "Skills"},
    "dashboard.called_at": {"zh": "发起", "en": "Called"},
    "dashboard.eta": {"zh": "{minutes} 分钟到", "en": "ETA {minutes} min"},
    "dashboard.left_out": {"zh": "未通知", "en": "Left out"},
    "dashboard.nobody": {"zh": "无", "en": "nobody"},
    "dashboard.map": {"zh": "地图", "en": "Map"},
    "dashboard.map_offline": {
        "zh": "地图底图无法加载（离线？），仍显示召集地点和人员位置。",
        "en": "Map tiles cannot be loaded (offline?); callout points and positions are still shown.",
    },
    "dashboard.no_points": {"zh": "没有带坐标的召集。", "en": "No callout has a map point."},
    "dashboard.readiness": {
        "zh": "各队可出队人数（现在可通知 / 总人数）",
        "en": "Readiness (could be paged now / total)",
    },
    "dashboard.team": {"zh": "队伍", "en": "Team"},
    "dashboard.general": {"zh": "一般任务", "en": "General"},
    "dashboard.fitness": {"zh": "山地（需体能）", "en": "Mountain (fitness)"},
    "dashboard.missions": {"zh": "本年任务", "en": "This year's missions"},
    "dashboard.missions_count": {
        "zh": "{year} 年第 {count} 次 / 目标 {target}",
        "en": "{count} in {year} / target {target}",
    },
    "dashboard.chart_actual": {"zh": "累计任务", "en": "Missions so far"},
    "dashboard.chart_target": {"zh": "目标进度", "en": "Target pace"},
    "dashboard.expiring": {"zh": "30 天内到期", "en": "Running out within 30 days"},
    "dashboard.insurance": {"zh": "保险", "en": "Insurance"},
    "dashboard.certificates": {"zh": "技能证书", "en": "Certificates"},
    "dashboard.until": {"zh": "{date} 到期（{days} 天）", "en": "ends {date} ({days} d)"},
    "dashboard.none_expiring": {"zh": "无", "en": "none"},
    "dashboard.months": {
        "zh": "1月,2月,3月,4月,5月,6月,7月,8月,9月,10月,11月,12月",
        "en": "Jan,Feb,Mar,Apr,May,Jun,Jul,Aug,Sep,Oct,Nov,Dec",
    },
    "dashboard.language": {"zh": "English", "en": "中文"},
    # Responder states and flags (new ones fall back to their own name until labelled here).
    "dashboard.state.available": {"zh": "已确认出队", "en": "Confirmed"},
    "dashboard.state.on_scene": {"zh": "已到达现场", "en": "On scene"},
    "dashboard.state.standby": {"zh": "待命", "en": "Standby"},
    "dashboard.state.paged": {"zh": "未回复", "en": "No reply yet"},
    "dashboard.state.no_reply": {"zh": "未回复", "en": "No reply"},
    "dashboard.state.undeliverable": {"zh": "无法送达", "en": "Undeliverable"},
    "dashboard.state.unavailable": {"zh": "无法出队", "en": "Unavailable"},
    "dashboard.state.home_safe": {"zh": "已安全返回", "en": "Home safe"},
    "dashboard.flag.need_help": {"zh": "需要支援", "en": "Need help"},
    "dashboard.flag.check_overdue": {"zh": "平安确认超时", "en": "Safety check overdue"},
    "dashboard.flag.overdue": {"zh": "超时未报平安", "en": "Overdue"},
    "dashboard.flag.phone": {"zh": "电话登记", "en": "by phone"},
}

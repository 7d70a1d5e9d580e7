"""The dashboard's incident states: on scene, alerts, the return phase after /close
(every `dashboard.*` key is sent to the page in the viewer's language)."""

MESSAGES = {
    "dashboard.state.confirmed": {"zh": "已确认出队", "en": "Confirmed"},
    "dashboard.state.still_out": {"zh": "尚未返回", "en": "Still out"},
    "dashboard.flag.return_overdue": {"zh": "超时未报平安返回", "en": "Overdue home"},
    "dashboard.alerts": {"zh": "需要立即关注", "en": "Needs attention now"},
    "dashboard.on_scene_count": {"zh": "现场 {count} 人", "en": "{count} on scene"},
    "dashboard.home_count": {"zh": "已安全返回 {safe}/{total}", "en": "Home safe {safe}/{total}"},
    "dashboard.returning": {
        "zh": "返程中：{time} 结束，等待全员报平安返回",
        "en": "Returning: closed {time}, waiting until everyone is home safe",
    },
    "dashboard.arrived": {"zh": "{time} 到达", "en": "arrived {time}"},
    "dashboard.home_at": {"zh": "{time} 返回", "en": "home {time}"},
    "dashboard.since": {"zh": "{time} 起", "en": "since {time}"},
    "dashboard.position": {"zh": "{time} 定位", "en": "located {time}"},
}

"""Texts of the feature services (training, roster, insurance) and of dates in the future."""

MESSAGES = {
    "future.fitness": {
        "zh": "测试日期 {date} 晚于今天（{today}）；体能测试只能在测完后记录。",
        "en": "The test date {date} is after today ({today}); record a fitness test once it "
        "has taken place.",
    },
    "future.certificate": {
        "zh": "发证日期 {date} 晚于今天（{today}）；证书只能在取得后记录。",
        "en": "The certificate date {date} is after today ({today}); record a certificate "
        "once it has been issued.",
    },
}

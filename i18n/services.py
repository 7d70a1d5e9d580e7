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
MESSAGES |= {
    "options.unknown": {
        "zh": "不认识选项“{option}”。可用的选项：{allowed}（写成 选项=值）。",
        "en": "There is no option “{option}”. Options: {allowed} (written option=value).",
    },
    "options.repeated": {
        "zh": "选项“{option}”写了两次；每个选项只写一次。",
        "en": "The option “{option}” is given twice; give each option once.",
    },
    "options.unclosed_quote": {
        "zh": '引号没有闭合：{text}。用成对的引号把含空格的内容括起来，例如 place="凤凰山 北坡"。',
        "en": "A quote is not closed: {text}. Put text with spaces between a pair of quotes, "
        'e.g. place="Phoenix Hill north".',
    },
}

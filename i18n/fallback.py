"""Texts for messages no command matched."""

MESSAGES: dict[str, dict[str, str]] = {
    "fallback.unknown_command": {
        "zh": "没有 {command} 这个命令。发送 /help 查看你可以用的命令。",
        "en": "There is no {command} command. Send /help for the commands you can use.",
    },
    "fallback.text": {
        "zh": "我只听懂命令。发送 /help 查看你可以用的命令；收到召集时请点消息下方的按钮。",
        "en": "I only understand commands. Send /help for the list; when a callout comes, tap its buttons.",
    },
    "fallback.file": {
        "zh": "收到文件，但没有说明要导入什么。请重新发送，并在文件说明中写 /import roster（或 training、fitness、insurance）。",
        "en": "Got a file but not what to import. Send it again with the caption /import roster (or training, fitness, insurance).",
    },
}

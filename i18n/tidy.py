"""Texts that were written inline before the catalogue guard covered them."""

MESSAGES: dict[str, dict[str, str]] = {
    # Printed before the settings load, so in the language RESCUEBOT_LANGUAGE names (if any);
    # the detail is pydantic's own message, naming the variable and what is wrong with it.
    "cli.config_error": {"zh": "配置错误：{detail}", "en": "configuration error: {detail}"},
}

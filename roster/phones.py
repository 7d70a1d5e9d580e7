"""Phone numbers normalised to E.164 so one person is one number however it is typed."""

from __future__ import annotations

import phonenumbers

from common.errors import DomainError

DEFAULT_REGION = "CN"


def normalise_phone(raw: object, region: str = DEFAULT_REGION) -> str:
    """`138 0000 0000`, `+86-138-0000-0000` and `8613800000000` all give `+8613800000000`.

    Raises DomainError('error.bad_phone') when the text is not a valid number.
    """
    text = str(raw or "").strip()
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))  # spreadsheets turn phone columns into numbers
    if not text:
        raise DomainError("error.bad_phone", value=text)
    digits = "".join(ch for ch in text if ch.isdigit())
    candidates = [text]
    # A CN mobile written with the country code but without '+' (8613800000000).
    if not text.startswith("+") and digits.startswith("86") and len(digits) == 13:
        candidates.insert(0, "+" + digits)
    for candidate in candidates:
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
    raise DomainError("error.bad_phone", value=text)


def display_phone(e164: str) -> str:
    """A readable national form for leaders ringing round (`138 0000 0000`)."""
    if len(e164) == 14 and e164.startswith("+861") and e164[1:].isdigit():
        # The common case, without a parse: a board or dashboard shows hundreds.
        return f"{e164[3:6]} {e164[6:10]} {e164[10:]}"
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 86:
        national = str(number.national_number)
        if len(national) == 11:
            return f"{national[:3]} {national[3:7]} {national[7:]}"
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))

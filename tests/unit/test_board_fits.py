"""The board always fits one Telegram message, however many people are on the callout."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from missions.model import State, Status
from missions.render import BOARD_LIMIT, board_text
from missions.repository import Callout, LeftOut, PagedPerson

NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)


def callout(description: str = "") -> Callout:
    return Callout(
        id=1, type="mountain", teams=("HR", "LT", "MA", "QM", "330", "SD"), skills=(),
        needed=200, location="全城", description=description, point=None,
        require_fitness=False, called_by=1, board_chat_id=None, board_message_id=None,
        status=Status.OPEN, created_at=NOW, filled_at=None, ended_at=None,
        escalation_stage=0, escalate_at=None, cancel_reason=None,
    )  # fmt: skip


def person(n: int, state: State, **extra: object) -> PagedPerson:
    return PagedPerson(
        volunteer_id=n, name=f"志愿者名字很长{n:04d}", phone=f"+86138{n:08d}", team_code="SD",
        telegram_id=n, language="zh", state=state, eta_minutes=30, reason="blocked",
        chat_id=n, message_id=n, answered_at=NOW, confirmed_at=NOW, **extra,
    )  # fmt: skip


@pytest.mark.parametrize("size", [10, 263, 2630])
def test_every_group_keeps_its_count_and_the_board_stays_under_4096_characters(
    size: int,
) -> None:
    states = [State.AVAILABLE, State.STANDBY, State.UNAVAILABLE, State.PAGED, State.UNDELIVERABLE]
    people = [person(n, states[n % len(states)]) for n in range(size)]
    people += [person(size + n, State.AVAILABLE, on_scene_at=NOW) for n in range(size // 5)]
    left = [LeftOut(n, f"未通知{n}", f"+86139{n:08d}", "SD", "away", "") for n in range(size)]
    text = board_text(
        callout("说明" * 500), people, left, "zh", labels={}, show_phone=lambda _team: True
    )
    assert len(text) <= BOARD_LIMIT
    for group in ("已确认", "到达现场", "待命", "无法出队", "未回复", "无法送达", "未通知"):
        assert group in text, group
    assert "外出" in text  # the reason line of the left out, with phones, is never dropped
    if size == 10:
        assert "等另外" not in text  # nothing hidden when everything fits


def test_someone_who_needs_help_is_never_hidden_behind_and_n_more() -> None:
    people = [person(n, State.AVAILABLE, on_scene_at=NOW) for n in range(300)]
    people.append(person(999, State.AVAILABLE, on_scene_at=NOW, need_help_at=NOW))
    text = board_text(callout(), people, [], "zh", labels={}, show_phone=lambda _team: False)
    assert "志愿者名字很长0999" in text and "请求支援" in text and len(text) <= BOARD_LIMIT

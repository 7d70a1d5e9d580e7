"""`rescuebot demo` plays its scripted incident against the sandbox and says so."""

from __future__ import annotations

import pytest

from bot.demo import play, run_demo
from tests.conftest import lift_chat_pace


@pytest.fixture(autouse=True)
def unpaced_chats(monkeypatch: pytest.MonkeyPatch) -> None:
    # The demo's story, not its pace, is checked here; `rescuebot demo` itself is paced
    # like Telegram (its timing: benchmarks and the README).
    lift_chat_pace(monkeypatch, sandbox_too=True)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_demo_plays_the_whole_incident_in_a_few_seconds(lang: str) -> None:
    lines: list[str] = []
    seconds = await play(lang, echo=lines.append)
    transcript = "\n".join(lines)
    # A sanity bound only: speed is measured in benchmarks/, not asserted here.
    assert seconds < 90
    confirmed = "已确认 6/6" if lang == "zh" else "Confirmed 6/6"
    standby = "待命 1" if lang == "zh" else "Standby 1"
    closed = "目标 59 次" if lang == "zh" else "(target 59)"
    for expected in ("/callout mountain 6", confirmed, standby, "/close", closed):
        assert expected in transcript, expected
    # The incident goes all the way: promotion, on scene, a missed check, everyone home.
    steps = {
        "zh": ("待命转为确认", "到达现场", "未回复安全确认", "/check 1 off", "/mark 1",
               "全员 6 人已安全返回"),
        "en": ("you are now confirmed", "On scene", "did not answer the safety check",
               "/check 1 off", "/mark 1", "everyone is home safe (6)"),
    }  # fmt: skip
    for expected in steps[lang]:
        assert expected in transcript, expected


async def test_the_demo_command_exits_zero_when_every_step_happened(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert await run_demo("en") == 0
    assert "Demo complete" in capsys.readouterr().out

"""Buttons as JSON: a message saved at a stop keeps its buttons when the next start sends
it. Actions carry ids only (missions/actions.py), so they survive the restart as they are."""

from __future__ import annotations

import dataclasses
import json
import typing
from typing import Any

from missions import actions
from missions.ports import Button, Buttons

_ACTIONS: dict[str, type[Any]] = {kind.__name__: kind for kind in typing.get_args(actions.Action)}


def buttons_to_json(buttons: Buttons | None) -> str | None:
    if buttons is None:
        return None
    return json.dumps([[_button_to_json(button) for button in row] for row in buttons])


def buttons_from_json(saved: str | None) -> Buttons | None:
    if saved is None:
        return None
    return [[_button_from_json(button) for button in row] for row in json.loads(saved)]


def _button_to_json(button: Button) -> list[Any]:
    label, what = button
    if isinstance(what, str):
        return [label, {"data": what}]
    return [label, {"action": type(what).__name__, **dataclasses.asdict(what)}]


def _button_from_json(saved: list[Any]) -> Button:
    label, what = saved
    if "data" in what:
        return (str(label), str(what["data"]))
    fields = {k: v for k, v in what.items() if k != "action"}
    action: actions.Action = _ACTIONS[what["action"]](**fields)
    return (str(label), action)

"""Placeholder: handlers for this feature are registered here."""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return []

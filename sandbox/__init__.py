"""A local fake of Telegram's Bot API for tests, benchmarks and demos (no internet needed)."""

from sandbox.errors import ApiError
from sandbox.people import SimUser
from sandbox.server import ApiCall, BotApiSandbox
from sandbox.spec import UploadedFile
from sandbox.state import StoredFile

__all__ = ["ApiCall", "ApiError", "BotApiSandbox", "SimUser", "StoredFile", "UploadedFile"]

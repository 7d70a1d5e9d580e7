"""File uploads by the bot and by simulated users, getFile and downloads."""

import pytest
from telegram import Bot
from telegram.error import BadRequest

from sandbox import BotApiSandbox

# A 2x3 PNG header is enough for Telegram-like size detection.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000020000000308020000") + b"\0" * 16


async def test_an_uploaded_document_can_be_downloaded_again(
    sandbox: BotApiSandbox, bot: Bot
) -> None:
    sandbox.user(42)
    content = b"name,phone\nAnn,+852\n"

    sent = await bot.send_document(42, content, filename="roster.csv", caption="Roster")

    document = sent.document
    assert document is not None
    assert document.file_name == "roster.csv"
    assert document.mime_type == "text/csv"
    assert document.file_size == len(content)
    assert sent.caption == "Roster"
    assert sandbox.file_bytes(document.file_id) == content
    telegram_file = await bot.get_file(document.file_id)
    assert bytes(await telegram_file.download_as_bytearray()) == content


async def test_a_document_sent_by_a_user_is_retrievable_by_the_bot(
    sandbox: BotApiSandbox, bot: Bot
) -> None:
    user = sandbox.user(42)

    await user.send_document("cert.pdf", b"%PDF-1.4 fake", caption="First aid")
    (update,) = await bot.get_updates()

    assert update.message is not None and update.message.document is not None
    assert update.message.document.mime_type == "application/pdf"
    assert update.message.caption == "First aid"
    telegram_file = await update.message.document.get_file()
    assert bytes(await telegram_file.download_as_bytearray()) == b"%PDF-1.4 fake"


async def test_a_photo_gets_its_pixel_size(sandbox: BotApiSandbox, bot: Bot) -> None:
    sandbox.user(42)

    sent = await bot.send_photo(42, PNG, filename="chart.png")

    assert (sent.photo[-1].width, sent.photo[-1].height) == (2, 3)
    assert sandbox.messages_to(42)[0]["photo"][0]["file_id"] == sent.photo[-1].file_id


async def test_a_photo_that_is_not_an_image_is_refused(sandbox: BotApiSandbox, bot: Bot) -> None:
    sandbox.user(42)

    with pytest.raises(BadRequest, match=r"(?i)IMAGE_PROCESS_FAILED"):
        await bot.send_photo(42, b"not an image", filename="x.png")


async def test_a_known_file_id_can_be_sent_again(sandbox: BotApiSandbox, bot: Bot) -> None:
    sandbox.user(42)
    sandbox.user(43)
    first = await bot.send_document(42, b"abc", filename="a.txt")
    assert first.document is not None

    again = await bot.send_document(43, first.document.file_id)

    assert again.document is not None
    assert again.document.file_id == first.document.file_id
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_document(43, "no-such-file")


async def test_get_file_of_an_unknown_id_is_a_bad_request(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
        await bot.get_file("nope")

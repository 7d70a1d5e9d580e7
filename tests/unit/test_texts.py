from bot.texts import split_text


def test_long_text_is_split_on_line_boundaries_under_telegrams_limit() -> None:
    text = "\n".join(f"line {i} " + "x" * 50 for i in range(300))
    chunks = split_text(text)
    assert all(len(c) <= 4096 for c in chunks)
    assert "\n".join(chunks) == text


def test_a_single_overlong_line_is_cut() -> None:
    chunks = split_text("y" * 9000)
    assert [len(c) for c in chunks] == [4096, 4096, 808]


def test_short_text_is_one_message() -> None:
    assert split_text("hello") == ["hello"]

from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from qa_app.services.highlighting import segments


def flag(start, end, category="tone"):
    return SimpleNamespace(start=start, end=end, category=category, message_index=0)


def test_a_flag_in_the_middle_cuts_three_pieces():
    pieces = segments("Please calm down now", [flag(7, 16)])
    assert [p.text for p in pieces] == ["Please ", "calm down", " now"]
    assert [bool(p.flags) for p in pieces] == [False, True, False]


def test_overlapping_flags_share_the_overlap():
    a, b = flag(0, 6, "tone"), flag(3, 9, "accuracy")
    pieces = segments("abcdefghij", [a, b])
    assert [(p.text, len(p.flags)) for p in pieces] == [("abc", 1), ("def", 2), ("ghi", 1), ("j", 0)]


def test_spans_outside_the_text_are_clipped_and_whole_conversation_flags_ignored():
    pieces = segments("short", [flag(3, 99), flag(None, None)])
    assert "".join(p.text for p in pieces) == "short"
    assert pieces[-1].text == "rt" and pieces[-1].flags


@given(st.text(max_size=60), st.lists(st.tuples(st.integers(-5, 70), st.integers(-5, 70)), max_size=5))
def test_segments_always_rebuild_the_text(text, spans):
    pieces = segments(text, [flag(s, e) for s, e in spans])
    assert "".join(p.text for p in pieces) == text

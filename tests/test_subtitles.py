"""Subtitles: cues read with their times and lines, grouped across languages by time overlap."""
from __future__ import annotations

from pathlib import Path

import pytest

from consistency.errors import InputError
from consistency.subtitles import Cue, read_subtitles, time_groups

DATA = Path(__file__).resolve().parent / "data" / "subtitles"


def _tracks():
    return {"en": read_subtitles(DATA / "en.srt"), "de": read_subtitles(DATA / "de.vtt"),
            "fr": read_subtitles(DATA / "fr.srt")}


def test_cues_have_plain_text_times_and_lines():
    en = read_subtitles(DATA / "en.srt")
    assert en[1] == Cue(3500, 6000, "It holds twelve thousand books in six languages.", 7)
    de = read_subtitles(DATA / "de.vtt")
    assert [c.line for c in de] == [4, 7, 10, 13]
    assert not any("-->" in c.text or c.text[:1].isdigit() for c in en + de)


def test_groups_follow_time_and_join_a_split_cue():
    assert time_groups(_tracks()) == [
        {"de": [0], "en": [0], "fr": [0]},
        {"de": [1, 2], "en": [1], "fr": [1]},
        {"de": [3], "en": [2]},  # fr has no cue at 7 s: the group lacks it
    ]


@pytest.mark.parametrize("a,b,linked", [
    ((0, 1000), (0, 1000), True),
    ((0, 1000), (900, 2000), False),    # touching neighbours
    ((0, 1000), (400, 1400), True),     # 60% of the shorter
    ((0, 4000), (1000, 2000), True),    # a short cue inside a long one
])
def test_overlap_threshold(a, b, linked):
    groups = time_groups({"x": [Cue(*a, "a", 1)], "y": [Cue(*b, "b", 1)]})
    assert (len(groups) == 1) == linked


def test_broken_file_is_one_input_error(tmp_path):
    bad = tmp_path / "de.srt"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(InputError):
        read_subtitles(bad)

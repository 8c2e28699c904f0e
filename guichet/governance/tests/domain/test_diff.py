"""Comparing two versions of a proposal: what a reader sees added and removed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from guichet.governance.domain.diff import (
    ADDED,
    CHANGED,
    REMOVED,
    SAME,
    Line,
    Piece,
    has_changes,
    lines_diff,
    side,
    words_diff,
)

TEXT = st.text(alphabet=st.sampled_from(list("ab cé,.\n-")), max_size=60)


def test_identical_texts_have_no_change() -> None:
    lines = lines_diff("Un.\nDeux.", "Un.\nDeux.")

    assert [line.kind for line in lines] == [SAME, SAME]
    assert not has_changes(lines)


def test_a_word_changed_in_a_line_is_marked_alone() -> None:
    lines = lines_diff(
        "Le réseau reverse 2 % aux projets amont.", "Le réseau reverse 3 % aux projets amont."
    )

    assert lines == (
        Line(
            CHANGED,
            (
                Piece(SAME, "Le réseau reverse "),
                Piece(REMOVED, "2"),
                Piece(ADDED, "3"),
                Piece(SAME, " % aux projets amont."),
            ),
        ),
    )


def test_added_and_removed_lines_are_whole() -> None:
    lines = lines_diff("Un.\nDeux.\nTrois.", "Un.\nTrois.\nQuatre.")

    assert [(line.kind, "".join(p.text for p in line.pieces)) for line in lines] == [
        (SAME, "Un."),
        (REMOVED, "Deux."),
        (SAME, "Trois."),
        (ADDED, "Quatre."),
    ]


def test_an_unrelated_replacement_reads_as_a_line_removed_then_one_added() -> None:
    lines = lines_diff("Première phrase tout à fait autre.", "Rien de commun ici !")

    assert [line.kind for line in lines] == [REMOVED, ADDED]


def test_words_diff_keeps_spaces_and_punctuation() -> None:
    pieces = words_diff("Oui, sans doute.", "Oui, sans aucun doute.")

    assert pieces == (
        Piece(SAME, "Oui, sans "),
        Piece(ADDED, "aucun "),
        Piece(SAME, "doute."),
    )


@given(TEXT, TEXT)
def test_both_versions_can_be_read_back_from_the_comparison(old: str, new: str) -> None:
    lines = lines_diff(old, new)

    assert side(lines, REMOVED) == "\n".join(old.splitlines())
    assert side(lines, ADDED) == "\n".join(new.splitlines())


@given(TEXT, TEXT)
def test_a_comparison_shows_changes_exactly_when_the_lines_differ(old: str, new: str) -> None:
    assert has_changes(lines_diff(old, new)) == (old.splitlines() != new.splitlines())

"""Which ratings count for a member on a lot: its missions on the lot's software first."""

from __future__ import annotations

from guichet.needs.domain.satisfaction import MemberRatings, Rating, ratings_for_lot

GLPI, NEXTCLOUD, MOODLE = 1, 2, 3
RATINGS = [
    Rating(organisation=10, score=5.0, software=frozenset({GLPI})),
    Rating(organisation=10, score=3.0, software=frozenset({GLPI, NEXTCLOUD})),
    Rating(organisation=10, score=1.0, software=frozenset({MOODLE})),
    Rating(organisation=20, score=4.0, software=frozenset()),
]


def test_a_lot_without_software_reads_every_rating() -> None:
    assert ratings_for_lot(RATINGS, []) == {
        10: MemberRatings(mean=3.0, count=3),
        20: MemberRatings(mean=4.0, count=1),
    }


def test_the_missions_on_the_lots_software_count_and_the_others_do_not() -> None:
    found = ratings_for_lot(RATINGS, [GLPI])
    assert found[10] == MemberRatings(mean=4.0, count=2, on_software=True)


def test_a_mission_on_two_of_the_lots_software_counts_once() -> None:
    found = ratings_for_lot(RATINGS, [GLPI, NEXTCLOUD])
    assert found[10] == MemberRatings(mean=4.0, count=2, on_software=True)


def test_a_member_new_to_the_software_keeps_its_whole_record() -> None:
    found = ratings_for_lot(RATINGS, [NEXTCLOUD + 100])
    assert found[10] == MemberRatings(mean=3.0, count=3, on_software=False)
    assert found[20] == MemberRatings(mean=4.0, count=1, on_software=False)


def test_nobody_unrated_appears() -> None:
    assert ratings_for_lot([], [GLPI]) == {}

"""What makes an entry bookable, and how a reversal cancels it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.finance.domain.entries import (
    LedgerRuleError,
    Line,
    balance,
    check_lines,
    reversed_lines,
)


def refusal(lines: list[Line]) -> str:
    with pytest.raises(LedgerRuleError) as refused:
        check_lines(lines)
    return refused.value.code


def test_a_balanced_entry_of_two_postings_or_more_passes() -> None:
    check_lines([Line("627", debit=1250), Line("512", credit=1250)])
    check_lines([Line("411", debit=1200), Line("706", credit=1000), Line("44571", credit=200)])


def test_an_entry_whose_debits_differ_from_its_credits_is_refused() -> None:
    assert refusal([Line("627", debit=1250), Line("512", credit=1249)]) == "unbalanced"


def test_an_entry_needs_two_postings() -> None:
    assert refusal([]) == "too_few_postings"
    assert refusal([Line("512", debit=100)]) == "too_few_postings"


def test_a_posting_has_one_positive_side() -> None:
    assert refusal([Line("627", debit=-5), Line("512", credit=-5)]) == "amount_negative"
    assert refusal([Line("627"), Line("512")]) == "amount_zero"
    assert refusal([Line("627", debit=5, credit=5), Line("512")]) == "debit_and_credit"


lines = st.lists(
    st.builds(
        Line,
        account=st.sampled_from(["411", "512", "706"]),
        debit=st.integers(0, 10**9),
        credit=st.integers(0, 10**9),
    ),
    max_size=8,
)


@given(lines)
def test_a_reversal_cancels_its_entry_exactly(original: list[Line]) -> None:
    reversal = reversed_lines(original)

    assert balance(original) + balance(reversal) == 0
    assert [line.account for line in reversal] == [line.account for line in original]
    assert reversed_lines(reversal) == original

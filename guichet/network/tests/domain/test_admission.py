from datetime import date

from guichet.network.domain.admission import (
    applicant_withdrawal_refusal,
    evaluator_refusal,
    missing_values,
    next_evaluation_due,
    ready_for_decision,
    summarise,
)

FAIR = {
    "applicant_organisation": 1,
    "evaluator_organisation": 2,
    "evaluator_organisations": [2],
    "evaluator_is_in_organisation": True,
    "evaluator_organisation_is_member": True,
    "already_assigned_organisations": [3],
}


def test_a_member_of_another_admitted_organisation_may_evaluate():
    assert evaluator_refusal(**FAIR) is None


def test_nobody_from_the_applicant_evaluates_it_even_through_a_second_organisation():
    assert evaluator_refusal(**{**FAIR, "evaluator_organisation": 1}).code == (
        "evaluator_from_applicant"
    )
    refusal = evaluator_refusal(**{**FAIR, "evaluator_organisations": [2, 1]})
    assert refusal.code == "evaluator_from_applicant"


def test_an_organisation_never_evaluates_the_same_application_twice():
    refusal = evaluator_refusal(**{**FAIR, "already_assigned_organisations": [2]})
    assert refusal.code == "organisation_already_evaluates"


def test_the_evaluator_must_belong_to_an_admitted_member_organisation():
    assert evaluator_refusal(**{**FAIR, "evaluator_is_in_organisation": False}).code == (
        "evaluator_not_in_organisation"
    )
    assert evaluator_refusal(**{**FAIR, "evaluator_organisation_is_member": False}).code == (
        "organisation_not_member"
    )


def test_an_evaluation_is_complete_only_when_every_value_is_rated():
    assert missing_values([10, 30], [10, 20, 30]) == [20]
    assert missing_values([30, 20, 10], [10, 20, 30]) == []


def test_a_decision_needs_three_complete_evaluations_by_default():
    assert not ready_for_decision(2)
    assert ready_for_decision(3)
    assert ready_for_decision(2, minimum=2)


def test_ratings_are_counted_per_value_including_unrated_values():
    summary = summarise([(10, "respects"), (10, "partly"), (10, "respects"), (99, "x")], [10, 20])
    assert summary[0].counts == {"respects": 2, "partly": 1, "does_not": 0}
    assert summary[0].total == 3
    assert summary[1].total == 0


def test_the_next_evaluation_falls_one_period_after_the_decision():
    assert next_evaluation_due(date(2026, 11, 23), 365) == date(2027, 11, 23)


def test_only_an_open_admission_withdrawn_by_a_manager_is_accepted() -> None:
    fine = {"is_admission": True, "is_open": True, "by_manager": True}

    assert applicant_withdrawal_refusal(**fine) is None
    refusals = {
        "is_admission": "withdrawal_only_for_admission",
        "is_open": "application_not_open",
        "by_manager": "withdrawal_not_a_manager",
    }
    for flag, code in refusals.items():
        refusal = applicant_withdrawal_refusal(**{**fine, flag: False})
        assert refusal is not None
        assert refusal.code == code

"""Every refusal of the admission and charter services has its own translated message."""

from __future__ import annotations

import re
from pathlib import Path

import guichet.network
from guichet.network.messages import MESSAGES, UNKNOWN, error_message

NETWORK = Path(guichet.network.__file__).parent
SOURCES = [
    "services/admission.py",
    "services/applying.py",
    "services/charter.py",
    "services/decisions.py",
    "domain/admission.py",
]
RAISED = re.compile(r"""(?:AdmissionError|CharterError|Refusal)\(\s*["']([a-z_]+)["']\s*\)""")


def codes_raised() -> set[str]:
    return {code for name in SOURCES for code in RAISED.findall((NETWORK / name).read_text())}


def test_the_services_raise_codes_that_this_test_can_find() -> None:
    assert {"evaluator_from_applicant", "rationale_required", "no_published_charter"} <= (
        codes_raised()
    )


def test_every_code_the_services_raise_has_its_own_message() -> None:
    missing = codes_raised() - set(MESSAGES)

    assert not missing, f"add a message to guichet/network/messages.py for: {sorted(missing)}"


def test_an_unknown_code_still_gets_a_sentence() -> None:
    assert error_message("no_such_code") == UNKNOWN

"""SPDX licence expressions: their shape, checked without a database."""

import pytest

from guichet.network.domain.licences import is_spdx_expression


@pytest.mark.parametrize(
    "text",
    [
        "MIT",
        "AGPL-3.0-or-later",
        "MIT OR Apache-2.0",
        "(MIT OR Apache-2.0) AND BSD-3-Clause",
        "GPL-2.0-only WITH Classpath-exception-2.0",
        "CECILL-B",
        "LicenseRef-Maison",
    ],
)
def test_spdx_expressions_are_recognised(text):
    assert is_spdx_expression(text)


@pytest.mark.parametrize(
    "text",
    ["", "GPL V2.0", "MPL 2.0 et EPL 1.0", "LGPL-2.1, LGPL-2.0", "N/A", "MIT OR", "(MIT", "libre"],
)
def test_prose_is_not_an_spdx_expression(text):
    assert not is_spdx_expression(text)

"""Open-data files people open in a spreadsheet."""

from guichet.core.opendata import csv_text


def test_a_title_typed_as_a_formula_stays_text_in_the_csv() -> None:
    text = csv_text(
        ["title", "amount", "balance"],
        [{"title": '=HYPERLINK("http://evil.example","x")', "amount": 12, "balance": "-3.50"}],
    )

    line = text.splitlines()[1]
    assert line.startswith("\"'=HYPERLINK(")  # the apostrophe makes the cell plain text
    assert line.endswith(",12,-3.50")  # numbers, negative ones too, are left alone


def test_ordinary_texts_are_written_as_they_are() -> None:
    text = csv_text(["title"], [{"title": "Publier les comptes — chaque trimestre"}])

    assert text.splitlines() == ["title", "Publier les comptes — chaque trimestre"]

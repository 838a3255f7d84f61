"""The analytics tables' CSV downloads and cells from the API: nothing a spreadsheet would
run, nothing a browser would read as markup, and the text survives a round trip."""

from __future__ import annotations

import csv
import io
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from dash import html

from components import analytics_params
from components.analytics_format import ViewContext, csv_cell, csv_rows, csv_text, data_table
from tests.unit import analytics_answers as answers
from tests.unit.dash_fakes import FakeSession, dashboard

HOSTILE = {
    "facility": '=HYPERLINK("http://evil.example","Click")',
    "it": "<script>alert(1)</script><b>IT</b>",
    "services": "@SUM(1+1)",
}


@pytest.fixture(autouse=True)
def app():
    """Links need the running app (its URL prefix)."""
    with dashboard(FakeSession()) as built:
        yield built


def hostile_table() -> dict:
    context = ViewContext(ZoneInfo("Europe/Rome"), date(2026, 11, 30), HOSTILE, {})
    answer = answers.ANSWERS["active-by-category"][1]
    return analytics_params.view("active-by-category", answer, context)["table"]


def read_back(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize(
    "cell",
    ["=1+1", "+1+1", "-1+1", "@SUM(A1:A3)", "\tcmd", "\r=1", "-inf", "-", "=", "+-3"],
)
def test_a_cell_that_could_start_a_formula_gets_a_leading_quote(cell):
    assert csv_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-3.5", "+2", "-12", "0.5", "-.5", "-1e3", "212", ""])
def test_numbers_negative_ones_included_stay_numbers(cell):
    assert csv_cell(cell) == cell


def test_text_that_starts_harmlessly_is_kept_as_it_is():
    assert csv_cell("<script>alert(1)</script>") == "<script>alert(1)</script>"
    assert csv_cell("Opened today") == "Opened today"
    assert csv_cell('a=b, said "x"\nnext') == 'a=b, said "x"\nnext'


def test_hostile_labels_from_the_api_are_neutralised_in_the_csv_and_read_back():
    rows = csv_rows(hostile_table())
    text = csv_text(rows + [["Total", "-3.5", "=1+1"]])
    back = read_back(text)
    assert back[0] == rows[0]
    labels = [r[0] for r in back[1:4]]
    assert sorted(labels) == sorted(
        ["'" + HOSTILE["facility"], HOSTILE["it"], "'" + HOSTILE["services"]]
    )
    assert [r[1:] for r in back[1:4]] == [r[1:] for r in rows[1:]]
    assert back[-1] == ["Total", "-3.5", "'=1+1"]
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for r in back for cell in r)


def test_hostile_labels_are_rendered_as_text_not_markup():
    table = data_table(hostile_table()).children
    body = table.children[2].children
    headers = [tr.children[0].children for tr in body]
    # Dash renders a string child as a text node: the markup shows as characters.
    assert HOSTILE["it"] in headers and all(isinstance(h, str) for h in headers)
    assert not any(isinstance(c, html.Script) for tr in body for c in tr.children)

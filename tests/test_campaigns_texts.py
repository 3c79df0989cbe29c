"""Typed numbers, HTML tags, emoji and non-UTF-8 files in a campaign: each refused at its field and line."""

from __future__ import annotations

import pytest
from test_campaigns_validation import CAMPAIGN, edit, make_project, problems

from observatorio.campaigns.texts import typed_numbers

MONTHS_PT = ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]


@pytest.fixture
def root(tmp_path):
    return make_project(tmp_path)


@pytest.mark.parametrize(
    "text, months, found",
    [
        ("Mais de 4000 pessoas", MONTHS_PT, ["4000"]),
        ("Mais de 4 000 pessoas", MONTHS_PT, ["4 000"]),
        ("Cerca de 3,5 % da população", MONTHS_PT, ["3,5"]),
        ("Em 2024 viviam {immigrants_2024} pessoas", MONTHS_PT, []),
        ("No dia 18 de dezembro de 2026", MONTHS_PT, []),
        ("On 18 December and December 19", MONTHS_EN, []),
        ("18 pessoas em dezembro", MONTHS_PT, ["18"]),
        ("Até 32 de dezembro", MONTHS_PT, ["32"]),
        ("{a} e {b}", MONTHS_PT, []),
    ],
)
def test_the_number_rule(text, months, found):
    assert typed_numbers(text, months) == found


def test_a_typed_number_is_refused_at_its_line(root):
    edit(root, lambda d: d["messages"][0]["body"].__setitem__("pt", "Mais de 4000 pessoas vivem cá."))
    text = problems(root)
    assert "messages[0].body.pt: has a number typed by hand (`4000`)" in text
    assert "Years (2024) and dates (18 de dezembro) are allowed." in text
    lines = (root / CAMPAIGN).read_text(encoding="utf-8").splitlines()
    line = next(str(p) for p in text.splitlines() if "messages[0].body.pt" in p)
    number = int(line.split(", line ")[1].split(":")[0])
    assert "Mais de 4000" in lines[number - 1]


def test_html_is_refused(root):
    edit(root, lambda d: d["messages"][0]["headline"].__setitem__("en", "Read <b>this</b> <script>alert(1)</script>"))
    text = problems(root)
    assert "messages[0].headline.en: has HTML (`<b>`, `</b>`, `<script>`, `</script>`)" in text
    assert "`1`" in text  # the typed number is reported too


def test_a_less_than_sign_is_not_html(root):
    edit(root, lambda d: d["messages"][0]["call_to_action"].__setitem__("en", "Share it if you care < or > most"))
    from observatorio.campaigns import validate_all

    validate_all(root)


def test_emoji_are_refused_clearly(root):
    edit(root, lambda d: d["messages"][1]["headline"].__setitem__("pt", "Todos contam 🎉❤️"))
    text = problems(root)
    assert "messages[1].headline.pt: has characters the cards' font cannot draw: `🎉` (U+1F389, party popper), `❤` (U+2764, heavy black heart)" in text
    assert "emoji are not supported" in text
    assert "U+FE0F" not in text


def test_a_windows_1252_file_is_refused_with_the_way_to_fix_it(root):
    path = root / CAMPAIGN
    path.write_bytes(path.read_text(encoding="utf-8").replace("sintético", "sintético çà").encode("cp1252", errors="replace"))
    text = problems(root)
    assert f"{CAMPAIGN}, line" in text
    assert "not saved as UTF-8" in text and "Windows-1252" in text
    assert "Encoding: UTF-8" in text


def test_image_credit_is_required(root):
    edit(root, lambda d: d["images"][0].pop("credit"))
    assert "images[0].credit: missing. Write who made the image" in problems(root)

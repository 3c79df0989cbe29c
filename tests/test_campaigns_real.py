"""The observatory's real campaigns validate against the real data, and their numbers are the data's."""

from __future__ import annotations

from pathlib import Path

import pytest

from observatorio.campaigns import validate_all
from observatorio.campaigns.validation import check_all
from observatorio.i18n import strings

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not (ROOT / "data" / "datapackage.yaml").is_file(), reason="no data catalogue yet")


def test_every_real_campaign_validates():
    validate_all(ROOT)


def test_morabeza_numbers_come_from_the_data():
    checked = {c.campaign.slug: c for c in check_all(ROOT)}["morabeza-para-todos"]
    assert checked.campaign.published
    pt, en = strings(ROOT, "pt"), strings(ROOT, "en")
    facts = checked.facts
    # UN DESA 2024 edition (via WDI) and the 2020 edition's world total of Cabo Verde-born emigrants
    assert facts["immigrants_2024"].text(pt) == "16\u00a0515" and facts["immigrants_2024"].text(en) == "16,515"
    assert facts["immigrant_share_2024"].text(pt) == "3,1\u00a0%" and facts["immigrant_share_2024"].text(en) == "3.1%"
    assert facts["born_guinea_bissau_2024"].value == 5576
    assert facts["emigrants_2020"].value == 187558
    for fact in facts.values():
        assert fact.source.publisher and fact.source.title and fact.source.url.startswith("https://")

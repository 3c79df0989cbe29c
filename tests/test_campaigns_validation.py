"""Every campaign check, on a synthetic project: each problem names file, field path and the fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from observatorio.campaigns import scaffold, validate_all, write_pages
from observatorio.campaigns.validation import contrast
from observatorio.errors import UserError

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "campaigns" / "synthetic-project"
CAMPAIGN = "campaigns/synthetic-campaign/campaign.yml"


def make_project(tmp_path: Path) -> Path:
    """The synthetic project, plus the repository's real UI strings and logo."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    for name in ("pt.yml", "en.yml"):
        (root / "site" / "i18n").mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "site" / "i18n" / name, root / "site" / "i18n" / name)
    (root / "site" / "assets" / "images").mkdir(parents=True)
    shutil.copy(REPO / "site" / "assets" / "images" / "logo.svg", root / "site" / "assets" / "images" / "logo.svg")
    return root


def edit(root: Path, change) -> None:
    """Apply `change` to the synthetic campaign's YAML (as data) and save it."""
    path = root / CAMPAIGN
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def problems(root: Path, lang: str = "en") -> str:
    """The problems as the build reports them, in `lang`."""
    with pytest.raises(UserError) as info:
        validate_all(root, lang=lang)
    return str(info.value)


@pytest.fixture
def root(tmp_path):
    return make_project(tmp_path)


def test_the_synthetic_campaign_is_valid(root):
    validate_all(root)


def test_missing_translation_names_the_field(root):
    edit(root, lambda d: d["messages"][1]["headline"].pop("en"))
    text = problems(root)
    assert f"{CAMPAIGN}, line" in text
    assert "messages[1].headline.en: missing. Write the headline (a few words) in English (en) here." in text


def test_missing_hashtags_in_one_language(root):
    edit(root, lambda d: d["messages"][0]["hashtags"].pop("pt"))
    assert "messages[0].hashtags.pt: missing. Give at least one hashtag in Portuguese" in problems(root)


def test_bad_hashtag(root):
    edit(root, lambda d: d["messages"][0]["hashtags"].__setitem__("en", ["#ok", "no hash"]))
    assert "messages[0].hashtags.en[1]: 'no hash' is not a hashtag: start with #" in problems(root)


def test_headline_too_long_is_measured_on_the_card(root):
    long = "Uma frase muito comprida que não cabe no cartão de maneira nenhuma " * 3
    edit(root, lambda d: d["messages"][0]["headline"].__setitem__("pt", long.strip()))
    text = problems(root)
    assert "messages[0].headline.pt: too long for the 1080×1080 card" in text
    assert "lines where 3 fit" in text
    assert "Shorten it by about" in text
    assert "messages[0].headline.en" not in text  # the English one still fits


def test_text_that_fits_by_characters_but_not_by_width_is_caught(root):
    # 3 lines of very wide letters: a character count would pass it, the layout does not.
    edit(root, lambda d: d["messages"][1]["call_to_action"].__setitem__("en", "WWWWWWW " * 12))
    text = problems(root)
    assert "messages[1].call_to_action.en: too long for" in text


def test_body_too_long_on_the_wide_card_only(root):
    body = "Texto de corpo com muitas palavras para encher as linhas disponíveis. " * 3
    edit(root, lambda d: d["messages"][1]["body"].__setitem__("en", body.strip()))
    text = problems(root)
    assert "messages[1].body.en: too long for the 1200×630 card" in text


def test_low_contrast_text(root):
    edit(root, lambda d: d["palette"].__setitem__("text", "#4a6fa5"))
    text = problems(root)
    assert "palette.text: #4a6fa5 on the background #003893 has a contrast of" in text
    assert "at least 4.5:1 (WCAG AA)" in text
    assert 'Pick a lighter colour (e.g. "#ffffff"' in text


def test_low_contrast_accent(root):
    edit(root, lambda d: d["palette"].update(background="#ffffff", text="#111111", accent="#f7d116"))
    assert "palette.accent: #f7d116 on the background #ffffff" in problems(root)


def test_wcag_contrast_formula():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#ffffff", "#003893") > 10


def test_bad_colour(root):
    edit(root, lambda d: d["palette"].__setitem__("accent", "yellow"))
    assert "palette.accent: must be a colour written #RRGGBB in quotes (found 'yellow')" in problems(root)


def test_fact_with_unknown_dataset(root):
    edit(root, lambda d: d["facts"][0].__setitem__("dataset", "no_such_data"))
    assert "facts[0].dataset: no dataset named `no_such_data`. Use one of: immigrant_stock." in problems(root)


def test_fact_with_no_matching_row(root):
    edit(root, lambda d: d["facts"][0]["where"].__setitem__("year", 1999))
    text = problems(root)
    assert "facts[0].where.year: no row of `immigrant_stock` has year = 1999" in text
    assert "Values there: 2020, 2022, 2024." in text


def test_fact_with_several_rows(root):
    edit(root, lambda d: d["facts"][0]["where"].__setitem__("year", 2022))
    text = problems(root)
    assert "facts[0].where: 2 rows match, a fact needs exactly one. Add a condition on edition: 2020, 2024" in text


def test_fact_with_unknown_column(root):
    edit(root, lambda d: d["facts"][0]["where"].__setitem__("island", "Santiago"))
    assert "facts[0].where.island: `island` is not a column of `immigrant_stock`." in problems(root)


def test_unknown_placeholder(root):
    edit(root, lambda d: d["messages"][1]["body"].__setitem__("pt", "Há {pessoas} aqui."))
    assert "messages[1].body.pt: `{pessoas}` is not a fact of this campaign. Known facts: share_2024, stock_2024." in problems(root)


def test_message_fact_must_exist(root):
    edit(root, lambda d: d["messages"][0].__setitem__("fact", "nope"))
    assert "messages[0].fact: `nope` is not a fact of this campaign." in problems(root)


def test_missing_image_file(root):
    edit(root, lambda d: d["images"][0].__setitem__("file", "missing.png"))
    assert "images[0].file: file `missing.png` not found in campaigns/synthetic-campaign/." in problems(root)


def test_image_without_alt_text(root):
    edit(root, lambda d: d["images"][0].pop("alt"))
    assert "images[0].alt: must give the alt text (what the image shows, for people who cannot see it) in every language" in problems(root)


def test_image_alt_text_missing_in_one_language(root):
    edit(root, lambda d: d["images"][0]["alt"].__setitem__("en", ""))
    assert "images[0].alt.en: missing. Write the alt text" in problems(root)


def test_image_without_licence(root):
    edit(root, lambda d: d["images"][0].pop("licence"))
    assert "images[0].licence: missing. Write the licence and author" in problems(root)


def test_bad_status_and_dates(root):
    def change(d):
        d["status"] = "live"
        d["dates"]["end"] = "2026-01-01"
    edit(root, change)
    text = problems(root)
    assert "status: must be `draft` or `published` (found 'live')" in text
    assert "dates.end: 2026-01-01 is before the start date 2026-12-18." in text


def test_x_post_too_long(root):
    tags = [f"#Etiqueta{i}Comprida" for i in range(14)]
    edit(root, lambda d: d["messages"][1]["hashtags"].__setitem__("pt", tags))
    assert "the suggested post for X (headline, call to action, link and hashtags) has" in problems(root)


def test_unknown_field(root):
    edit(root, lambda d: d.__setitem__("colour", "blue"))
    assert "colour: unknown field `colour`." in problems(root)


def test_yaml_syntax_error_names_the_line(root):
    path = root / CAMPAIGN
    path.write_text(path.read_text(encoding="utf-8").replace('  pt: "Campanha sintética de teste"', '  pt: "Campanha: sem fim'), encoding="utf-8")
    text = problems(root)
    assert f"{CAMPAIGN}, line" in text and "not valid YAML" in text and "Traceback" not in text


def test_all_problems_are_listed_at_once(root):
    def change(d):
        d["messages"][0]["body"].pop("en")
        d["palette"]["text"] = "#0a2a6a"
        d["images"][0]["file"] = "gone.svg"
    edit(root, change)
    text = problems(root)
    assert text.startswith("campaigns: 3 problems to fix before anything is built:")
    for path in ("messages[0].body.en", "palette.text", "images[0].file"):
        assert path in text


def test_nothing_is_written_when_a_campaign_is_invalid(root, tmp_path):
    docs = tmp_path / "docs"
    (docs / "campanhas").mkdir(parents=True)
    (docs / "campanhas" / "index.md").write_text("previous", encoding="utf-8")
    edit(root, lambda d: d["messages"][0]["headline"].pop("pt"))
    with pytest.raises(UserError):
        write_pages(root, docs)
    assert (docs / "campanhas" / "index.md").read_text(encoding="utf-8") == "previous"
    assert [p.name for p in (docs / "campanhas").iterdir()] == ["index.md"]
    assert not (root / "build" / "campaigns").exists()  # no campaign output, not even in the cache


# --- scaffold ---------------------------------------------------------------------------------


def test_scaffold_writes_a_commented_template_that_validates(root):
    path = scaffold(root, "nova-campanha-2027")
    assert path == root / "campaigns" / "nova-campanha-2027" / "campaign.yml"
    text = path.read_text(encoding="utf-8")
    assert "# Cores em #RRGGBB" in text and "status: draft" in text
    validate_all(root)  # the template is a valid draft from the start


def test_scaffold_refuses_an_existing_campaign(root):
    with pytest.raises(UserError, match=r"campaigns/synthetic-campaign/campaign.yml: already exists"):
        scaffold(root, "synthetic-campaign")


@pytest.mark.parametrize("slug", ["Nova", "nova campanha", "nova_campanha", "-nova", "ação", ""])
def test_scaffold_refuses_bad_slugs(root, slug):
    with pytest.raises(UserError, match="lowercase letters, digits and hyphens"):
        scaffold(root, slug)


def test_bad_folder_name(root):
    shutil.move(root / "campaigns" / "synthetic-campaign", root / "campaigns" / "Synthetic_Campaign")
    assert "the folder name `Synthetic_Campaign` must be lowercase letters" in problems(root)


def test_missing_top_level_fields(root):
    def change(d):
        d.pop("dates")
        d.pop("messages")
        d.pop("palette")
    edit(root, change)
    text = problems(root)
    assert "dates: missing. Give `start:` and `end:` dates as YYYY-MM-DD" in text
    assert "messages: missing. Write at least one message" in text
    assert "palette: missing. Give `background:`, `text:` and `accent:` colours" in text

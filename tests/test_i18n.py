from conftest import REPO

from observatorio.i18n import format_number, language_codes, languages, strings


def test_languages_come_from_mkdocs_yml_default_first():
    assert language_codes(REPO) == ["pt", "en"]
    assert languages(REPO)[0].default and languages(REPO)[0].prefix() == ""
    assert languages(REPO)[1].prefix() == "en/"


def test_numbers_follow_each_language():
    pt, en = strings(REPO, "pt"), strings(REPO, "en")
    assert pt.number(16515) == "16\u00a0515"
    assert pt.percent(84.94) == "84,9 %"
    assert en.number(16515) == "16,515"
    assert en.percent(84.94) == "84.9%"
    assert en.number(1234.5, 1) == "1,234.5"
    assert pt.number(1234.5, 1) == "1\u00a0234,5"


def test_missing_value_prints_a_dash():
    assert format_number(float("nan"), (",", " ")) == "–"


def test_ui_strings_have_the_same_keys_in_every_language():
    import yaml

    from observatorio.translations import _keys

    keys = [_keys(yaml.safe_load((REPO / "site" / "i18n" / f"{code}.yml").read_text())) for code in language_codes(REPO)]
    assert all(k == keys[0] for k in keys)

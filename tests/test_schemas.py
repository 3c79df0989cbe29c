"""Every configuration file is checked against its schema before anything is built."""

from __future__ import annotations

import glob
import json
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import REPO, tree_digest

from observatorio import schemas, settings
from observatorio.data import load_package
from observatorio.disclosure import check_publishable, check_site, threshold
from observatorio.errors import UserError
from observatorio.publish import MARKER, MARKER_TEXT
from observatorio.safe_read import TolerantLoader, read_yaml_document
from observatorio.site import build

FILES = {
    "datapackage": ["data/datapackage.yaml"],
    "metadata": ["reports/_metadata.yml"],
    "topics": ["reports/_topics.yml"],
    "series-notes": ["profiles/series_notes.yml"],
    "i18n": sorted(glob.glob("site/i18n/*.yml", root_dir=REPO)) + sorted(glob.glob("tests/fixtures/third-language/**/*.yml", root_dir=REPO, recursive=True)),
    "campaign": sorted(glob.glob("campaigns/*/campaign.yml", root_dir=REPO)) + sorted(glob.glob("tests/fixtures/campaigns/**/campaign.yml", root_dir=REPO, recursive=True)),
    "mkdocs": ["mkdocs.yml"],
}


@pytest.mark.parametrize("kind", sorted(FILES))
def test_the_project_files_follow_their_schemas(kind):
    for name in FILES[kind]:
        document = read_yaml_document(REPO / name, REPO, loader=TolerantLoader)
        assert schemas.problems(kind, document.data, document) == [], name


def test_every_publication_front_matter_follows_its_schema():
    for name in sorted(glob.glob("reports/*/*.qmd", root_dir=REPO)):
        schemas.check_front_matter(name, (REPO / name).read_text(encoding="utf-8"))


def test_the_reference_pages_are_current():
    """docs/reference/<kind>.md are generated from the schemas: `python -m observatorio.schemas` rewrites them."""
    for kind in schemas.KINDS:
        page = REPO / "docs" / "reference" / f"{kind}.md"
        assert page.read_text(encoding="utf-8") == schemas.reference_page(kind), f"{page} is stale: run `python -m observatorio.schemas`"


def test_the_mkdocs_schema_lists_every_setting_with_its_type_and_minimum():
    declared = schemas.schema("mkdocs")["properties"]["extra"]["properties"]["observatorio"]["properties"]["settings"]["properties"]
    words = {int: "integer", float: "number", str: "string", bool: "boolean"}
    assert set(declared) == {item.name for item in settings.SETTINGS}
    for item in settings.SETTINGS:
        assert declared[item.name]["type"] == words[item.type]
        assert declared[item.name].get("minimum") == item.minimum


def test_every_schema_property_has_english_and_portuguese_titles():
    def walk(node, where):
        for key, child in node.get("properties", {}).items():
            assert child.get("title") and child.get("x-title-pt"), f"{where}.{key}"
            walk(child, f"{where}.{key}")
        if isinstance(node.get("items"), dict) and "properties" in node["items"]:
            walk(node["items"], where + "[]")

    for kind in schemas.KINDS:
        walk(schemas.schema(kind), kind)


# --- the catalogue ----------------------------------------------------------------------------


WRONG_BOOLEANS = ['"false"', "'False'", '"no"', "no", "No", "off", "n", '"não"', "não", "0", '"0"', "null", '""', "[]", None]


@pytest.mark.parametrize("spelling", WRONG_BOOLEANS, ids=lambda s: "missing" if s is None else s)
def test_public_written_any_way_but_true_or_false_stops_the_build_and_publishes_nothing(site_project, spelling):
    """Synthetic microdata with `public:` written as people write booleans: refused, the previous site kept."""
    from test_disclosure import add_synthetic_microdata

    add_synthetic_microdata(site_project, suppressed=True)
    path = site_project / "data" / "datapackage.yaml"
    text = path.read_text(encoding="utf-8")
    entry = re.search(r"- name: synthetic_microdata\n(?:  .*\n)*?  public: false\n", text).group(0)
    changed = entry.replace("  public: false\n", f"  public: {spelling}\n" if spelling is not None else "")
    path.write_text(text.replace(entry, changed), encoding="utf-8")
    line = text[: text.index(entry)].count("\n") + 1 + (entry.count("\n") - 1 if spelling is not None else 0)
    site = site_project / "_site"
    site.mkdir()
    (site / "index.html").write_text("the previous site", encoding="utf-8")
    (site / MARKER).write_text(MARKER_TEXT, encoding="utf-8")  # as a build leaves it
    before = tree_digest(site)
    with pytest.raises(UserError) as caught:
        build(site_project)
    message = str(caught.value)
    if spelling is None:
        assert f"data/datapackage.yaml, line {line}: `resources[8]`: missing `public`." in message, message
    else:
        assert (f"data/datapackage.yaml, line {line}: `resources[8].public`: must be true or false (a YAML boolean, without quotes)") in message, message
    assert tree_digest(site) == before
    assert not list(site_project.glob(".site-new-*"))
    assert not [p for p in site_project.rglob("*synthetic_microdata*") if "raw" not in p.parts]


def test_unknown_keys_suggest_the_closest_known_one(data_project):
    path = data_project / "data" / "datapackage.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    public: true\n", "    pubilc: true\n    public: true\n", 1), encoding="utf-8")
    with pytest.raises(UserError, match=r"data/datapackage.yaml, line 75: `resources\[0\]\.pubilc`: unknown key `pubilc`. Did you mean `public`\?"):
        load_package(data_project)


@pytest.mark.parametrize("value", ["0", "1", '"5"', "2.5", "-3"])
def test_a_disclosure_threshold_below_two_or_not_a_whole_number_is_refused(data_project, value):
    path = data_project / "data" / "datapackage.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\nresources:\n", f"\ndisclosure:\n  threshold: {value}\n\nresources:\n", 1), encoding="utf-8")
    with pytest.raises(UserError, match=r"data/datapackage.yaml, line \d+: `disclosure.threshold`: must be"):
        load_package(data_project)


def test_suppression_is_switched_off_only_with_a_documented_reason(data_project):
    path = data_project / "data" / "datapackage.yaml"
    reason = "Decided by the observatory board on 2026-12-01: these tables hold no counts of persons."
    path.write_text(path.read_text(encoding="utf-8").replace(
        "\nresources:\n", f"\ndisclosure:\n  threshold: 1\n  no_suppression_reason: \"{reason}\"\n\nresources:\n", 1), encoding="utf-8")
    assert threshold(load_package(data_project)) == 1


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "vbscript:x", "//evil.example", "ftp://x.example/a"])
def test_links_must_be_web_or_mail_addresses(data_project, url):
    path = data_project / "data" / "datapackage.yaml"
    text = path.read_text(encoding="utf-8")
    first = re.search(r"\n        path: (https://\S+)\n", text).group(1)
    path.write_text(text.replace(f"path: {first}", f"path: \"{url}\"", 1), encoding="utf-8")
    with pytest.raises(UserError, match=r"data/datapackage.yaml, line \d+: `resources\[0\]\.sources\[0\]\.path`: .* is not allowed here. Write a web address starting with https://"):
        load_package(data_project)


def test_the_site_address_must_be_a_web_address(data_project):
    path = data_project / "mkdocs.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("site_url: https://observatorio-migracoes.cv/", "site_url: javascript:alert(1)"), encoding="utf-8")
    with pytest.raises(UserError, match=r"mkdocs.yml, line 4: `site_url`: the text \"javascript:alert\(1\)\" is not allowed here. Write a web address"):
        settings.get(data_project, "limits.cell_timeout")


def test_front_matter_types_are_strict(tmp_path):
    text = "---\ntitle: Synthetic\ndraft: \"false\"\nexecute:\n  ecoh: false\n---\n"
    with pytest.raises(UserError) as caught:
        schemas.check_front_matter("reports/x/index.qmd", text)
    assert "reports/x/index.qmd, line 3: `draft`: must be true or false (a YAML boolean, without quotes), not the text \"false\"." in str(caught.value)
    assert "reports/x/index.qmd, line 5: `execute.ecoh`: unknown key `ecoh`. Did you mean `echo`?" in str(caught.value)


def test_settings_in_mkdocs_yml_are_checked_by_the_schema(data_project):
    path = data_project / "mkdocs.yml"
    path.write_text(path.read_text(encoding="utf-8") + "\nextra:\n  observatorio:\n    settings:\n      limits.cell_timeot: 10\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"mkdocs.yml, line \d+: `extra.observatorio.settings.limits.cell_timeot`: unknown key `limits.cell_timeot`. Did you mean `limits.cell_timeout`\?"):
        settings.get(data_project, "limits.cell_timeout")


# --- fail closed: derived_from chains and the finished site --------------------------------------


def _private_project(root: Path) -> Path:
    from test_disclosure import add_synthetic_microdata

    add_synthetic_microdata(root, suppressed=False)
    return root


def _edit_descriptor(root: Path, change) -> None:
    path = root / "data" / "datapackage.yaml"
    descriptor = yaml.safe_load(path.read_text(encoding="utf-8"))
    change({r["name"]: r for r in descriptor["resources"]}, descriptor)
    path.write_text(yaml.safe_dump(descriptor, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_an_aggregate_of_an_aggregate_of_microdata_is_checked_as_derived_from_it(data_project):
    """`synthetic_residents_by_island` (public, suppressed) is derived from microdata; a public table
    derived from it, with Maio's 2 back in, is derived from the microdata too."""
    from test_disclosure import add_synthetic_microdata

    add_synthetic_microdata(data_project, suppressed=True)
    raw = data_project / "data" / "raw"
    (raw / "synthetic_copy.csv").write_text("island,count\nMaio,2\nSal,6\n", encoding="utf-8")

    def add_copy(resources, descriptor):
        copy = {**resources["synthetic_residents_by_island"], "name": "synthetic_copy", "path": "raw/synthetic_copy.csv",
                "derived_from": "synthetic_residents_by_island"}
        copy["schema"] = {"fields": copy["schema"]["fields"][:2]}
        descriptor["resources"].append(copy)

    _edit_descriptor(data_project, add_copy)
    with pytest.raises(UserError, match=r"synthetic_copy.csv, row 2, field `count`: 2 is below the disclosure threshold \(5\) for data derived from `synthetic_microdata`"):
        check_publishable(load_package(data_project))


def test_a_derived_from_circle_is_refused(data_project):
    _private_project(data_project)

    def circle(resources, descriptor):
        resources["synthetic_residents_by_island"]["derived_from"] = "countries"
        resources["countries"]["derived_from"] = "synthetic_residents_by_island"

    _edit_descriptor(data_project, circle)
    with pytest.raises(UserError, match="goes round in a circle"):
        check_publishable(load_package(data_project))


def _site_with(folder: Path, name: str, data: bytes) -> Path:
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return folder


@pytest.mark.parametrize("case", ["named", "copy", "row", "descriptor", "zipped"])
def test_the_finished_site_is_refused_when_it_holds_non_public_data(data_project, tmp_path, case):
    _private_project(data_project)
    raw = (data_project / "data" / "raw" / "synthetic_microdata.csv").read_bytes()
    row = raw.decode().splitlines()[3]
    site = tmp_path / "site"
    _site_with(site, "index.html", b"<p>fine</p>")
    if case == "named":
        _site_with(site, "dados/synthetic_microdata/index.html", b"<p>x</p>")
    elif case == "copy":
        _site_with(site, "assets/data.bin", raw)
    elif case == "row":
        _site_with(site, "publicacoes/x/figures/fig.csv", f"a,b,c\n{row}\n".encode())
    elif case == "descriptor":
        _site_with(site, "dados/datapackage.json", json.dumps({"resources": [{"name": "synthetic_microdata", "path": "a.csv"}]}).encode())
    else:
        with zipfile.ZipFile(site / "all.zip", "w") as archive:
            archive.writestr("x/rows.csv", f"h\n{row}\n")
    with pytest.raises(UserError, match=r"the built site would publish non-public data; nothing was published:\n  \S+: .*`synthetic_microdata`"):
        check_site(data_project, site)


def test_the_finished_site_passes_when_only_public_data_is_in_it(data_project, tmp_path):
    _private_project(data_project)
    site = _site_with(tmp_path / "site", "dados/synthetic_residents_by_island/index.html", b"<p>derived from synthetic data</p>")
    _site_with(site, "dados/datapackage.json", json.dumps({"resources": [{"name": "synthetic_residents_by_island", "path": "a.csv",
                                                                           "derived_from": "synthetic_microdata"}]}).encode())
    check_site(data_project, site)


def test_the_schemas_know_the_keys_the_code_reads():
    """The front matter and campaign schemas list the keys the readers accept (add a key to both)."""
    from observatorio.campaigns.model import TOP_KEYS
    from observatorio.reports.qmd import CROSSREF_KEYS, EXECUTE_KEYS, FRONT_MATTER_KEYS

    front = schemas.schema("front-matter")["properties"]
    assert set(front) == FRONT_MATTER_KEYS
    assert set(front["crossref"]["properties"]) == CROSSREF_KEYS
    assert EXECUTE_KEYS <= set(front["execute"]["properties"])
    assert schemas.schema("metadata")["properties"] == front
    assert set(schemas.schema("campaign")["properties"]) == TOP_KEYS


def test_keys_that_yaml_reads_as_numbers_dates_or_booleans_are_checked_as_written(tmp_path):
    path = tmp_path / "_topics.yml"
    path.write_text("imigracao: {pt: Imigração, en: Immigration}\n2026-01-01: {pt: x}\nremessas: {true: x, 7: y}\n", encoding="utf-8")
    document = read_yaml_document(path, tmp_path)
    assert [(line, key) for line, key, _ in schemas.problems("topics", document.data, document)] == [(3, "remessas.7"), (3, "remessas.true")]

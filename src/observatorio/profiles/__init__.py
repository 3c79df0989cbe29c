"""Country profiles: one parameterized study (`profiles/_template/index[.<lang>].qmd`), run per country.

`write_pages` is what the site build calls. A country of origin of immigrants in Cabo Verde
(`immigrant_stock_by_origin`) or of destination of Cabo Verdean emigrants
(`emigrant_stock_by_destination`, without the world aggregate) gets a profile in every language
when one of its series has enough observations (`profiles/series_notes.yml`); the others are listed
on the index with the reason. Modules: `model` (the facts, from the data), `text` (helpers the
template uses), `template` (reads the Quarto template and its `params`), `run` (one Jupyter kernel
per language runs the template once per country), `render` (web page, figures and PDF with the
reports engine) and `index` (the profiles index).

Pages: `perfis/index.md` (index, pt), `perfis/index.<lang>.md`, and `perfis/<iso3>/index[.<lang>].md`
with `perfis/<iso3>/<iso3>-<lang>.pdf` and `perfis/<iso3>/figures/`.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from .. import __version__, maps, steps
from ..data import DESCRIPTOR, load_package
from ..files import write_if_changed
from ..i18n import languages, read_mkdocs_config, strings
from ..paths import build_dir
from . import index, model

__all__ = ["write_pages"]

ENGINE_VERSION = "1"
STEP = "country profiles"
PACKAGE = Path(__file__).resolve().parent


def write_pages(root: Path, docs: Path, jobs: int | None = None) -> list[str]:
    """Render every country profile in every language into `docs`; return one line per profile (with its time)."""
    root, docs = Path(root).resolve(), Path(docs)
    langs = languages(root)
    default = langs[0].code
    minimum = model.notes(root)["min_observations"]
    if not (root / model.TEMPLATE_DIR).is_dir():  # a project without the profiles study: an empty index
        write_index(root, docs, langs, [], [], minimum)
        return []
    found = model.candidates(root)
    eligible = [c.iso3 for c in found if c.eligible(minimum)]
    excluded = [c for c in found if not c.eligible(minimum)]
    site_url = str(read_mkdocs_config(root).get("site_url") or "")
    tasks, lines, outputs, why = [], [], {}, {}
    for lang in langs:
        inputs = cache_inputs(root, lang.code, eligible)
        stored, _, why[lang.code] = steps.stored(stored_dir(root, lang.code), inputs)
        if stored is not None:
            outputs[lang.code] = stored
            lines.append(f"profiles ({lang.code}): {len(eligible)} profiles unchanged, nothing executed or rendered")
        elif eligible:
            tasks.append((str(root), lang.code, eligible, default, site_url, inputs))
        else:
            outputs[lang.code] = {}
    workers = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
            results = list(pool.map(render_language, *zip(*tasks)))
    else:
        results = [render_language(*task) for task in tasks]
    for (_, code, *_rest), (files, timings, seconds) in zip(tasks, results):
        outputs[code] = files
        for iso3, executed, rendered in timings:
            lines.append(f"{model.TEMPLATE_DIR} ({code}, {iso3}): executed in {executed:.2f} s, rendered in {rendered:.2f} s")
        mean = sum(e + r for _, e, r in timings) / len(timings) if timings else 0
        lines.append(f"profiles ({code}): {len(timings)} profiles in one kernel, {seconds:.1f} s in all, {mean:.2f} s per profile ({why[code]})")
    for files in outputs.values():
        for relative, content in files.items():
            write_if_changed(docs / relative, content)
    write_index(root, docs, langs, eligible, excluded, minimum)
    write_assets(docs)
    if excluded:
        lines.append(f"profiles: {len(excluded)} countries without enough data, listed on the index: {', '.join(c.iso3 for c in excluded)}")
    return lines


def write_index(root: Path, docs: Path, langs, eligible: list[str], excluded: list, minimum: int) -> None:

    package = load_package(root)
    for lang in langs:
        s = strings(root, lang.code)
        profiles = [model.profile(iso3, lang.code, root) for iso3 in eligible]
        titles = {name: package.resource(name).title(lang.code) for name in model.DATASETS.values()}
        text = index.page(lang, langs, s, profiles, excluded, minimum, titles, index_maps(root, docs, lang, s) if eligible else "")
        name = "index.md" if lang.default else f"index.{lang.code}.md"
        write_if_changed(docs / "perfis" / name, text)


def index_maps(root: Path, docs: Path, lang, s) -> str:
    """The index's world maps (`observatorio.maps`), their files written beside the index."""
    from .. import maps

    site_url = str(read_mkdocs_config(root).get("site_url") or "")
    parts = [f"## {s['maps.heading']}", "", str(s["maps.intro"]), ""]
    for which in maps.DATASETS:
        made = maps.page_map(root, s, which, index.FOLDER, lang.default, site_url, str(s["profiles.title"]))
        for relative, content in made.files.items():
            write_if_changed(docs / relative, content)
        parts += [made.html, ""]
    return "\n".join([*parts, maps.scripts(index.FOLDER, lang.default), ""])


def write_assets(docs: Path) -> None:
    """The chart scripts the profiles' figures need (the filter box's scripts are in site/assets/javascripts/)."""
    from ..reports import write_assets as chart_assets

    chart_assets(docs)


def render_language(root: str, code: str, countries: list[str], default: str, site_url: str, inputs: steps.Inputs):
    """In a worker: run the template for every country in one kernel, then render each profile."""
    from .render import render
    from .run import run_all
    from .template import load

    started = time.monotonic()
    root_path = Path(root)
    lang = next(x for x in languages(root_path) if x.code == code)
    template = load(root_path, lang)
    s = strings(root_path, code)
    names = model.country_names(root_path)
    label = f"{template.path.relative_to(root_path)} ({code})"
    executed = run_all(template, countries, label)
    files: dict[str, bytes] = {}
    timings = []
    for item in executed:
        began = time.monotonic()
        work = build_dir(root_path) / "profiles" / "work" / code / item.iso3.lower()
        files.update(render(root_path, template, item.iso3, names[item.iso3][code], item.result, s, default, site_url, work))
        timings.append((item.iso3, item.seconds, time.monotonic() - began))
    steps.store(stored_dir(root_path, code), STEP, inputs, files)
    return files, timings, time.monotonic() - started


# -- cache: one record per language; any change to the data, template, strings or code renders all again --


def cache_inputs(root: Path, code: str, countries: list[str]) -> steps.Inputs:
    """What one language's profiles depend on: the study, the datasets it reads, the notes, the UI strings, the code."""
    inputs = steps.Inputs(root).value("engine", [ENGINE_VERSION, __version__, code]).libraries("altair").value("countries", countries)
    inputs.value("languages", repr(languages(root)))
    inputs.value("publications", sorted(model.publications(root, code).items()))  # that mention each country, not their prose
    inputs.files([root / model.NOTES_FILE, root / "profiles" / "search_names.yml", root / "mkdocs.yml", root / "site" / "i18n" / f"{code}.yml"])
    inputs.files(sorted((root / model.TEMPLATE_DIR).glob("*")))
    package = load_package(root)
    inputs.files([root / DESCRIPTOR, *(package.resource(name).path for name in model.datasets_read(root))])
    inputs.files([root / maps.GEOMETRY, root / maps.POINTS])  # each profile's world map
    return inputs.code()


def stored_dir(root: Path, code: str) -> Path:
    return build_dir(root) / "profiles" / "out" / code

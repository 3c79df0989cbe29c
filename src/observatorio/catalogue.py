"""The data catalogue pages: one index and one page per public dataset, in every language."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import key_figures, pages, sharing
from .clock import build_date
from .data import Package, Resource, read_typed
from .downloads import Download, write_all_downloads
from .errors import UserError
from .files import human_size, write_if_changed
from .i18n import Strings, languages, read_mkdocs_config, strings
from .markup import html_text, md_html, md_inline, md_text
from .updated import last_changed, time_tag, updated_line

YEAR_FIELDS = ("year", "reference_year")
PREVIEW_ROWS = 10


def page_name(lang, base: str = "index") -> str:
    """`index.md` for the default language, `index.en.md` for the others (suffix structure)."""
    return f"{base}.md" if lang.default else f"{base}.{lang.code}.md"


def in_language(item: dict, key: str, lang: str) -> str:
    """A source's or licence's `title`/`publisher` in `lang`: from `titles`/`publishers` when given, else as written."""
    return str((item.get(f"{key}s") or {}).get(lang) or item.get(key) or "")


def write_pages(root: Path, docs: Path, package: Package) -> list[str]:
    """Write the downloads and the catalogue pages into `docs`; return what was written."""
    changes: list[str] = []
    per_resource, zip_download = write_all_downloads(package, docs, changes)
    site_url = str(read_mkdocs_config(root).get("site_url", "")).rstrip("/") + "/"
    year = build_date(root).year
    frames: dict[str, object] = {}

    def frame_of(resource: Resource):
        if resource.name not in frames:  # read once per build, not once per page and language
            frames[resource.name] = read_typed(resource)
        return frames[resource.name]

    for lang in languages(root):
        s = strings(root, lang.code)
        write_if_changed(docs / "dados" / page_name(lang), index_page(package, s, zip_download, frame_of))
        figures = key_figures.compute(root, s)
        for resource in package.public_resources():
            url = f"{site_url}{lang.prefix()}dados/{resource.name}/"
            shown = [figure for figure in figures if figure.dataset == resource.name]
            card = f"{resource.name}-card-{lang.code}.png"
            write_if_changed(docs / "dados" / resource.name / card, sharing.card(
                root, f"data/datapackage.yaml, resource `{resource.name}`", s, s["common.dataset"], resource.title(lang.code),
                years_covered(frame_of(resource), resource), s["catalogue.years"]))
            social = sharing.front_matter(f"{site_url}dados/{resource.name}/{card}", s.format(
                "publications.card_alt_plain", title=resource.title(lang.code), kind=s["common.dataset"]), url)
            chart, chart_files = default_chart(root, resource, frame_of(resource), s, lang, url, year)
            for path, content in chart_files.items():
                write_if_changed(docs / path, content)
            page = dataset_page(package, resource, s, per_resource[resource.name], url, year, frame_of, shown, social, chart)
            write_if_changed(docs / "dados" / resource.name / page_name(lang), page)
    done = "downloads regenerated for " + ", ".join(changes) if changes else "downloads unchanged, from the cache"
    return [f"data catalogue: {len(per_resource)} public datasets in {len(languages(root))} languages; {done}"]


def default_chart(root: Path, resource: Resource, frame, s: Strings, lang, url: str, year: int) -> tuple[str, dict[str, bytes]]:
    """The dataset's default chart in a figure view (HTML for the page) and its files (docs path -> bytes)."""
    from . import dataset_chart, maps
    from .paths import build_dir
    from .reports import web
    from .reports.assemble import Figure

    drawn = dataset_chart.chart(resource, frame, s, publishers(resource, s.code))
    if drawn is None:
        return "", {}
    spec, caption, alt = drawn
    folder = f"dados/{resource.name}"
    page = web.FigurePage(title=resource.title(s.code), url=url, folder=folder, default_lang=lang.default, year=year)
    figures = web.PageFigures(s, "" if lang.default else f"../../../{folder}/", drawings=build_dir(root) / "drawings", page=page)
    figure = Figure(stem=f"{resource.name}-chart-{s.code}", label=None, caption=caption, alt=alt, spec=spec)
    prefix = "" if lang.default else f"../../../{folder}/"
    extra, files = [], {}
    which = maps.for_resource(resource.name)
    if which:  # a dataset of countries: its figure has a map view too
        panel, files = maps.map_panel(root, s, which, f"{resource.name}-map-{s.code}", folder, prefix)
        extra.append(panel)
    html = figures.html(figure, extra)
    scripts = web.scripts_html("../../" if lang.default else "../../../")
    return f"{html}\n{scripts}", {**figures.files([figure], folder), **files}


def publishers(resource: Resource, lang: str) -> str:
    """The resource's sources for a citation or a chart's source line: publishers, else titles."""
    return "; ".join(sorted({in_language(src, "publisher", lang) or in_language(src, "title", lang) for src in resource.sources}))


def years_covered(frame, resource: Resource) -> str:
    for name in YEAR_FIELDS:
        if name in frame.columns and frame[name].notna().any():
            low, high = int(frame[name].min()), int(frame[name].max())
            return f"{low}–{high}" if low != high else str(low)
    return "–"


def index_page(package: Package, s: Strings, zip_download: Download, frame_of=read_typed) -> str:
    """The catalogue's index (template `data-catalogue`)."""
    rows = []
    for resource in package.public_resources():
        frame = frame_of(resource)
        rows.append({"name": resource.name, "title": resource.title(s.code), "years": years_covered(frame, resource), "count": s.number(len(frame)),
                     "publishers": "; ".join(sorted({in_language(src, "publisher", s.code) for src in resource.sources if src.get("publisher")}))})
    return pages.render("data-catalogue", s=s, rows=rows, zip_name=zip_download.path.name, zip_size=human_size(zip_download.size, s["number.decimal"]))


def dataset_page(package: Package, resource: Resource, s: Strings, downloads: list[Download], url: str, year: int, frame_of=read_typed,
                 figures: list[key_figures.KeyFigure] = (), social: list[str] = (), chart: str = "") -> str:
    """A dataset's page (template `dataset`)."""
    lang = s.code
    frame = frame_of(resource)
    title = resource.title(lang)
    expected = next_update(resource)
    definition = (resource.descriptor.get("definitions") or {}).get(lang)
    caveats = (resource.descriptor.get("caveats") or {}).get(lang) or []
    sources = []
    for source in resource.sources:
        name = md_text(in_language(source, "title", lang))
        sources.append({"link": f"[{name}]({source['path']})" if source.get("path") else name, "seen_at": source.get("seen_at"),
                        "extra": ", ".join(in_language(source, k, lang) for k in ("publisher", "date") if source.get(k))})
    licences = []
    for licence in resource.licenses:
        name = md_text(in_language(licence, "title", lang) or licence.get("name"))
        licences.append(f"[{name}]({licence['path']})" if licence.get("path") else name)
    fields = []
    for field in resource.fields:
        description = (field.get("descriptions") or {}).get(lang, "")
        unit = (field.get("unit") or {}).get(lang, "") if isinstance(field.get("unit"), dict) else field.get("unit", "")
        fields.append({"name": field["name"], "type": field.get("type", "string"), "unit": unit or "", "constraints": describe_constraints(field, s),
                       "cell": md_text((field.get("titles") or {}).get(lang, "")) + (f"<br>{md_inline(description)}" if description else "")})
    return pages.render(
        "dataset", s=s, title=title, social=list(social), description=md_html(resource.text("descriptions", lang)),
        row_count=s.format("catalogue.row_count", rows=s.number(len(frame)), columns=len(frame.columns)), years=years_covered(frame, resource),
        updated=updated_line(s, last_changed(package.root, [resource.path])), next_update=time_tag(expected, s) if expected else "",
        key_figures=key_figures.on_dataset_page(list(figures), s), chart=chart,
        definition=md_html(definition) if definition else "",
        caveats=md_html("\n".join(f"- {' '.join(str(c).split())}" for c in caveats)) if caveats else "",
        preview=preview(resource, frame, s, package),
        downloads=[{"label": s[f"catalogue.formats.{d.kind}"], "name": d.path.name, "size": human_size(d.size, s["number.decimal"]), "sha256": d.sha256}
                   for d in downloads],
        sources=sources, licences=licences, fields=fields,
        citation=s.format("catalogue.citation_text", year=year, title=md_text(title), sources=md_text(publishers(resource, lang)), url=url))


def preview(resource: Resource, frame, s: Strings, package: Package) -> dict[str, str]:
    """The first rows of the dataset as a table formatted for the page's language (`observatorio.tables`):
    column titles and units from the dataset's own schema, suppressed counts as "< 5".

    Left out: columns whose texts are in another language (a field's `lang`), said under the table,
    and the provenance columns (`preview: false`), which the page lists as its sources."""
    from . import disclosure, tables

    shown = disclosure.display(frame.head(PREVIEW_ROWS), None, disclosure.threshold(package))
    flags = set(disclosure.flagged(shown.columns).values())
    fields = {f["name"]: f for f in resource.fields}
    other_language = [c for c in shown.columns if fields.get(c, {}).get("lang", s.code) != s.code]
    columns = [c for c in shown.columns
               if c not in flags and c not in other_language and fields.get(c, {}).get("preview", True) is not False]
    rows = [[tables.plain(value) for value in row] for row in shown[columns].itertuples(index=False, name=None)]
    table = tables.formatted(columns, rows, s.number_style(), {name: tables.field_title(f, s.code) for name, f in fields.items()})
    titles = ", ".join(tables.field_title(fields[c], s.code, unit=False) for c in other_language)
    return {"table": tables.html(table),
            "note": s.format("catalogue.preview_note", shown=len(rows), total=s.number(len(frame))) if len(frame) > len(rows) else "",
            "other_language": s.format("catalogue.preview_other_language", columns=titles) if other_language else ""}


def next_update(resource: Resource) -> dt.date | None:
    """The resource's `next_update` (an ISO date), if it has one; anything else is an error naming the dataset."""
    value = resource.descriptor.get("next_update")
    if value is None:
        return None
    try:
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        raise UserError(f"data/datapackage.yaml, resource `{resource.name}`: next_update is {value!r}, not a date. "
                        "Write the expected date of the next edition as YYYY-MM-DD, or remove the key.") from None


def describe_constraints(field: dict, s: Strings) -> str:
    """The field's constraints as one line of Markdown: texts escaped, codes in `<code>` as written in the data."""
    rules = []
    constraints = field.get("constraints") or {}
    if constraints.get("required"):
        rules.append(md_text(s["catalogue.required"]))
    if "minimum" in constraints and "maximum" in constraints:
        rules.append(md_text(f"{constraints['minimum']}–{constraints['maximum']}"))
    elif "minimum" in constraints:
        rules.append(md_text(f"≥ {constraints['minimum']}"))
    elif "maximum" in constraints:
        rules.append(md_text(f"≤ {constraints['maximum']}"))
    if "enum" in constraints:
        values = [f"<code>{html_text(v)}</code>".replace("|", "&#124;") for v in constraints["enum"]]  # codes, as written in the data
        shown = ", ".join(values[:4]) + (", …" if len(values) > 4 else "")
        rules.append(shown)
    if "pattern" in constraints and field["name"].endswith("_iso3"):
        rules.append("ISO 3166-1 alpha-3")
    return "; ".join(rules)

"""Download files for every public dataset: CSV, XLSX, JSON, datapackage.json, README, checksums, zip.

Files are generated at build time from `data/`, never committed a second time. Non-public
resources are never written here. A suppressed count (disclosure control) is an empty cell (null
in JSON, an empty cell in XLSX) with its `<field>_suppressed` flag true in all three formats, so
the files stay typed; the README says what the flag means. The generated files of each dataset are kept under
`build/downloads/` with a manifest of what they are made from (`observatorio.steps`: the CSV, the
catalogue, the code and the library versions), so a rebuild regenerates only the datasets that changed.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import canonicalize

import pandas as pd

from . import steps
from .data import Package, Resource, read_typed
from .disclosure import flagged, marker, threshold
from .files import sha256, write_if_changed

ZIP_NAME = "observatorio-dados.zip"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed entry dates keep the zip byte-identical between builds
FORMATS = ("csv", "xlsx", "json", "datapackage", "readme")


@dataclass(frozen=True)
class Download:
    kind: str  # one of FORMATS
    path: Path  # absolute path of the written file
    size: int
    sha256: str


def dataset_dir(docs: Path, resource: Resource) -> Path:
    return docs / "dados" / resource.name


def file_names(resource: Resource) -> dict[str, str]:
    return {
        "csv": f"{resource.name}.csv",
        "xlsx": f"{resource.name}.xlsx",
        "json": f"{resource.name}.json",
        "datapackage": "datapackage.json",
        "readme": "README.txt",
    }


def cache_inputs(package: Package, resource: Resource) -> steps.Inputs:
    """What one dataset's downloads depend on: its file, the catalogue, the code, pandas and openpyxl."""
    inputs = steps.Inputs(package.root).file(resource.path).value("catalogue", package.descriptor)
    return inputs.libraries("pandas", "openpyxl").code()


def dataset_contents(package: Package, resource: Resource, names: dict[str, str], changes: list[str] | None = None) -> dict[str, bytes]:
    """The bytes of each download of `resource`, from the cache under build/downloads/ when nothing changed."""
    inputs = cache_inputs(package, resource)
    folder = package.root / "build" / "downloads" / resource.name
    stored, _, reason = steps.stored(folder, inputs)
    if stored is not None and set(stored) == set(FORMATS):
        return stored
    frame = read_typed(resource)
    contents = {
        "csv": resource.path.read_bytes(),
        "xlsx": to_xlsx(frame, resource),
        "json": to_json(frame),
        "datapackage": to_datapackage_json(package, [resource], {resource.name: names["csv"]}),
        "readme": to_readme(package, resource, frame).encode("utf-8"),
    }
    steps.store(folder, "downloads", inputs, contents)
    if changes is not None:
        changes.append(f"{resource.name} ({reason})")
    return contents


def write_dataset_downloads(package: Package, resource: Resource, docs: Path, changes: list[str] | None = None) -> list[Download]:
    """Write the files of one public resource and its SHA256SUMS; return them in FORMATS order.

    `changes`, when given, receives a line for each dataset whose files were generated again.
    """
    assert resource.public, f"refusing to publish non-public resource {resource.name}"
    folder = dataset_dir(docs, resource)
    names = file_names(resource)
    contents = dataset_contents(package, resource, names, changes)
    downloads = []
    for kind in FORMATS:
        path = folder / names[kind]
        write_if_changed(path, contents[kind])
        downloads.append(Download(kind, path, path.stat().st_size, sha256(path)))
    sums = "".join(f"{d.sha256}  {d.path.name}\n" for d in downloads)
    write_if_changed(folder / "SHA256SUMS", sums)
    return downloads


def write_all_downloads(package: Package, docs: Path, changes: list[str] | None = None) -> tuple[dict[str, list[Download]], Download]:
    """Every public resource's files, then one zip with all of them and the package descriptor."""
    per_resource = {r.name: write_dataset_downloads(package, r, docs, changes) for r in package.public_resources()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        public = package.public_resources()
        paths = {r.name: f"{r.name}/{r.name}.csv" for r in public}
        _zip_add(archive, "datapackage.json", to_datapackage_json(package, public, paths))
        for name in sorted(per_resource):
            for download in per_resource[name]:
                _zip_add(archive, f"{name}/{download.path.name}", download.path.read_bytes())
    zip_path = docs / "dados" / ZIP_NAME
    write_if_changed(zip_path, buffer.getvalue())
    return per_resource, Download("zip", zip_path, zip_path.stat().st_size, sha256(zip_path))


def _zip_add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def to_json(frame: pd.DataFrame) -> bytes:
    records = [
        {column: (None if pd.isna(value) else (value.item() if hasattr(value, "item") else value)) for column, value in row.items()}
        for row in frame.to_dict(orient="records")
    ]
    return (json.dumps(records, ensure_ascii=False, indent=1, allow_nan=False) + "\n").encode("utf-8")


def to_xlsx(frame: pd.DataFrame, resource: Resource) -> bytes:
    """A workbook with the data (typed cells) and a sheet describing each column."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "data"
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in row])
    fields = workbook.create_sheet("fields")
    fields.append(["name", "type", "title_pt", "title_en", "description_en"])
    for field in resource.fields:
        titles = field.get("titles") or {}
        descriptions = field.get("descriptions") or {}
        fields.append([field["name"], field.get("type", "string"), titles.get("pt"), titles.get("en"), descriptions.get("en")])
    fixed = pd.Timestamp("2000-01-01").to_pydatetime()
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    workbook.properties.creator = "Observatório das Migrações de Cabo Verde"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _normalise_zip(buffer.getvalue())


MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip (an .xlsx) so that identical content gives identical bytes, whichever XML writer
    openpyxl used (lxml when it is installed, else its own): entries sorted, with fixed dates, the
    workbook's `modified` (openpyxl writes the time of saving) fixed, and every XML part in canonical
    form (C14N 2.0: the same attribute order, quoting and empty-element spelling)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name in sorted(source.namelist()):
            content = source.read(name)
            if name == "docProps/core.xml":
                content = MODIFIED.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", content)
            if name.endswith((".xml", ".rels")):
                content = XML_DECLARATION + canonicalize(content.decode("utf-8")).encode("utf-8")
            _zip_add(target, name, content)
    return out.getvalue()


def to_datapackage_json(package: Package, resources: list[Resource], paths: dict[str, str]) -> bytes:
    """A Frictionless `datapackage.json` for `resources`, their paths rewritten to the downloads."""
    top = {k: v for k, v in package.descriptor.items() if k != "resources"}
    entries = []
    for resource in resources:
        entry = dict(resource.descriptor)
        entry["path"] = paths[resource.name]
        entries.append(entry)
    descriptor = {**top, "resources": entries}
    return (json.dumps(descriptor, ensure_ascii=False, indent=2, sort_keys=True, default=str, allow_nan=False) + "\n").encode("utf-8")


def to_readme(package: Package, resource: Resource, frame: pd.DataFrame) -> str:
    """Plain-text description of one dataset, in every language of its metadata."""
    lines = [resource.name, "=" * len(resource.name), ""]
    for lang in sorted(resource.descriptor.get("titles", {})):
        lines += [f"[{lang}] {resource.title(lang)}", "", str(resource.text("descriptions", lang)).strip(), ""]
        definition = (resource.descriptor.get("definitions") or {}).get(lang)
        if definition:
            lines += [str(definition).strip(), ""]
        for caveat in (resource.descriptor.get("caveats") or {}).get(lang, []):
            lines.append(f"- {caveat}")
        lines.append("")
    lines.append(f"Rows: {len(frame)}; columns: {len(frame.columns)}")
    lines.append("")
    lines.append("Sources:")
    for source in resource.sources:
        lines.append(f"- {source.get('title')} ({source.get('publisher', '')}, {source.get('date', '')}) {source.get('path', '')}".rstrip())
    lines.append("")
    lines.append("Licences:")
    for licence in resource.licenses:
        lines.append(f"- {licence.get('title') or licence.get('name')} {licence.get('path', '')}".rstrip())
    lines.append("")
    lines.append("Columns:")
    for field in resource.fields:
        title = (field.get("titles") or {}).get("en", "")
        lines.append(f"- {field['name']} ({field.get('type', 'string')}): {title}")
    lines.append("")
    flags = flagged(f["name"] for f in resource.fields)
    if flags:
        limit = threshold(package)
        lines.append("Disclosure control:")
        for count, flag in flags.items():
            lines.append(
                f"- {count}: a count from 1 to {limit - 1} is not published; its cell is empty and `{flag}` is true "
                f"(the site shows \"{marker(limit)}\"). Never read an empty flagged cell as zero."
            )
        lines.append("")
    return "\n".join(lines)

"""Statistical disclosure control: small counts derived from non-public data are never published.

Non-public resources (microdata, synthetic test data) are never copied to the site. An aggregate
made from one must suppress every count below the threshold (`disclosure.threshold` in
data/datapackage.yaml, default 5): the cell is left empty and flagged in `<field>_suppressed`.
The flag is the one source of truth for every medium:

- downloads (CSV, XLSX, JSON) keep the cell empty (null) with the flag true, so the files stay typed;
  the README of the download says what the flag means;
- tables (`display`) and chart data files and data tables (`observatorio.charts.data_csv`) show the
  marker ("< 5") in the cell; charts draw it with `observatorio.charts.mark_suppressed` and
  `observatorio.charts.finish` adds a note under the chart;
- campaign cards, posters and pages print the marker where the number would be.

What stops the build: a public resource that declares `derived_from: <non-public resource>` with a
count below the threshold; a flagged cell that still holds a number (in a dataset, a chart's data or
a campaign fact); a chart's count below the threshold in a column that has a flag but is not flagged;
a campaign fact quoting microdata or a small count of a non-public dataset.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .data import Package, Resource, load_package, read_descriptor, read_typed
from .errors import UserError

DEFAULT_THRESHOLD = 5
FLAG = "_suppressed"


def threshold(package: Package) -> int:
    return _threshold(package.descriptor)


def _threshold(descriptor: dict) -> int:
    """`disclosure.threshold`: at least 2 (the schema checks it), 1 only with `no_suppression_reason`."""
    return int((descriptor.get("disclosure") or {}).get("threshold", DEFAULT_THRESHOLD))


def project_threshold(root: Path | None = None) -> int:
    """The threshold of the project at `root` (default: the one around the current folder), read
    from data/datapackage.yaml without validating the data; the default outside a project."""
    from .paths import project_root

    try:
        return _threshold(read_descriptor(Path(root) if root else project_root()))
    except UserError:
        return DEFAULT_THRESHOLD


def marker(limit: int) -> str:
    """What a reader sees in place of a suppressed count, in every language and medium."""
    return f"< {limit}"


def suppress(frame: pd.DataFrame, counts: list[str], limit: int) -> pd.DataFrame:
    """`frame` with counts from 1 to `limit - 1` emptied and flagged in `<count>_suppressed`."""
    out = frame.copy()
    for column in counts:
        values = pd.to_numeric(out[column])
        small = values.notna() & (values > 0) & (values < limit)
        out[column] = values.astype("Float64").mask(small)
        out[f"{column}_suppressed"] = small.astype("boolean")
    return out


def aggregate(microdata: pd.DataFrame, by: list[str], limit: int, count: str = "count") -> pd.DataFrame:
    """Counts of `microdata` rows by `by`, small counts suppressed."""
    table = microdata.groupby(by, dropna=False, observed=True).size().rename(count).reset_index()
    return suppress(table, [count], limit)


def flagged(columns) -> dict[str, str]:
    """`{count column: its flag column}` for every `<x>_suppressed` column beside a column `<x>`."""
    names = list(columns)
    return {name[: -len(FLAG)]: name for name in names if name.endswith(FLAG) and name[: -len(FLAG)] in names}


def _empty(value) -> bool:
    if value is None or value is pd.NA or value == "":
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _true(value) -> bool:
    return value is True or (not _empty(value) and str(value).strip().lower() in ("true", "1", "1.0"))


def _small(value, limit: int) -> bool:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return 0 < number < limit


def row_problems(rows: list[dict], limit: int, what: str, first_row: int = 1) -> list[str]:
    """What in `rows` (records, as a chart's data) would publish a suppressed value, one line each:
    a flagged cell that holds a value, or a count below `limit` in a flagged column left unflagged."""
    columns = list(dict.fromkeys(key for row in rows for key in row))
    problems = []
    for number, row in enumerate(rows, start=first_row):
        for count, flag in flagged(columns).items():
            value = row.get(count)
            if _true(row.get(flag)):
                if not _empty(value) and str(value) != marker(limit):
                    problems.append(f"{what}, row {number}, field `{count}`: {value} is flagged in `{flag}` but still published; leave the cell empty")
            elif _small(value, limit):
                problems.append(f"{what}, row {number}, field `{count}`: {value} is below the disclosure threshold ({limit}) and not flagged in `{flag}`")
    return problems


def display(frame: pd.DataFrame, counts: list[str] | None, limit: int) -> pd.DataFrame:
    """A copy for tables and charts: suppressed cells show the marker instead of being empty.

    `counts` defaults to every column that has a `<column>_suppressed` flag beside it."""
    counts = list(flagged(frame.columns)) if counts is None else counts
    out = frame.copy().astype({c: "object" for c in counts})
    for column in counts:
        flag = f"{column}_suppressed"
        if flag in out.columns:
            out.loc[out[flag].fillna(False).astype(bool), column] = marker(limit)
    return out


def count_fields(resource: Resource) -> list[str]:
    return [f["name"] for f in resource.fields if f.get("count")]


def check_publishable(package: Package) -> None:
    """Stop when a public dataset would publish a suppressed value: a count below the threshold in
    an aggregate of non-public data, or a cell flagged in `<field>_suppressed` that is not empty."""
    limit = threshold(package)
    names = {r.name: r for r in package.resources}
    problems = []
    for resource in package.public_resources():
        flags = flagged(f["name"] for f in resource.fields)
        source = resource.descriptor.get("derived_from")
        if source and source not in names:
            problems.append(f"data/datapackage.yaml: `{resource.name}.derived_from` names `{source}`, which is not a dataset.")
            continue
        private = private_origin(resource, names)
        derived = private is not None
        source = private or source
        if not flags and not derived:
            continue
        frame = read_typed(resource)
        where = resource.path.relative_to(package.root)
        for field, flag in flags.items():
            filled = frame.index[frame[flag].fillna(False).astype(bool) & frame[field].notna()].tolist()
            for index in filled:
                problems.append(
                    f"{where}, row {index + 2}, field `{field}`: {frame.at[index, field]} is flagged in `{flag}` "
                    "but still published; leave the cell empty"
                )
        if not derived:
            continue
        fields = count_fields(resource)
        if not fields:
            problems.append(f"data/datapackage.yaml: `{resource.name}` is derived from non-public `{source}` but marks no field `count: true`.")
        for field in fields:
            small = frame.index[(frame[field] > 0) & (frame[field] < limit)].tolist()
            for index in small:
                problems.append(
                    f"{where}, row {index + 2}, field `{field}`: "
                    f"{frame.at[index, field]:g} is below the disclosure threshold ({limit}) for data derived from `{source}`"
                )
    if problems:
        raise UserError(
            "small counts would be published:\n  " + "\n  ".join(problems)
            + "\nSuppress them with observatorio.disclosure.suppress (or aggregate) before saving the file."
        )


def private_origin(resource: Resource, names: dict[str, Resource]) -> str | None:
    """The first non-public dataset on the `derived_from` chain of `resource` (an aggregate of an
    aggregate of microdata counts as derived from the microdata), or None when the chain stays public."""
    seen = [resource.name]
    source = resource.descriptor.get("derived_from")
    while source:
        if source not in names:
            raise UserError(f"data/datapackage.yaml: `{seen[-1]}.derived_from` names `{source}`, which is not a dataset.")
        if source in seen:
            raise UserError(f"data/datapackage.yaml: `derived_from` goes round in a circle ({' → '.join(seen + [source])}). Name the dataset each one was computed from.")
        if not names[source].public:
            return source
        seen.append(source)
        source = names[source].descriptor.get("derived_from")
    return None


# --- the last check before a site is published ---------------------------------------------

TEXT_SUFFIXES = {".html", ".htm", ".json", ".csv", ".txt", ".md", ".xml", ".js", ".svg", ".tsv", ".bib", ".yml", ".yaml"}
MIN_ROW_LENGTH = 8  # shorter CSV rows ("1,2") are too common to say where they came from


def check_site(root: Path, folder: Path) -> None:
    """Refuse to publish `folder` (the finished site, before it replaces `_site/`) when a file's name
    or content comes from a non-public resource: its name or file name as a path part, its bytes,
    a row of its CSV, or its entry in a data package descriptor; inside zip files too."""
    import hashlib
    import io
    import zipfile

    package = load_package(root)
    private = [r for r in package.resources if not r.public]
    if not private:
        return
    names = {r.name: r.name for r in private} | {r.path.stem: r.name for r in private}
    digests = {hashlib.sha256(r.path.read_bytes()).hexdigest(): r.name for r in private}
    rows = {}
    for resource in private:
        lines = resource.path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
        rows.update({line.strip(): resource.name for line in lines[1:] if "," in line and len(line.strip()) >= MIN_ROW_LENGTH})
    problems = []

    def inspect(name: str, data: bytes) -> None:
        parts = [part.split(".")[0] for part in name.split("/")]
        found = next((names[p] for p in parts if p in names), None)
        if found:
            problems.append(f"{name}: named after the non-public dataset `{found}`")
            return
        if hashlib.sha256(data).hexdigest() in digests:
            problems.append(f"{name}: a copy of the file of the non-public dataset `{digests[hashlib.sha256(data).hexdigest()]}`")
            return
        suffix = Path(name).suffix.lower()
        if suffix == ".zip":
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    members = [(member, archive.read(member)) for member in archive.namelist()]
            except zipfile.BadZipFile:
                problems.append(f"{name}: not a readable zip file")
                return
            for member, content in members:
                inspect(f"{name}!{member}", content)
            return
        if suffix not in TEXT_SUFFIXES:
            return
        text = data.decode("utf-8", errors="replace")
        for line in text.replace("\r\n", "\n").split("\n"):
            if line.strip() in rows:
                problems.append(f"{name}: holds a row of the non-public dataset `{rows[line.strip()]}` ({line.strip()[:60]})")
                return
        if suffix == ".json":
            for dataset in _json_resources(text):
                if dataset in names:
                    problems.append(f"{name}: describes the non-public dataset `{names[dataset]}` as a resource")
                    return

    for path in sorted(folder.rglob("*")):
        if path.is_file():
            inspect(path.relative_to(folder).as_posix(), path.read_bytes())
    if problems:
        raise UserError(
            "the built site would publish non-public data; nothing was published:\n  " + "\n  ".join(problems[:20])
            + "\nRemove what copies or names the dataset, or mark the dataset `public: true` if it may be published."
        )


def _json_resources(text: str) -> list[str]:
    """The `name` of every object in a JSON text that describes a dataset (has `path` or `schema`)."""
    import json

    try:
        data = json.loads(text)
    except ValueError:
        return []
    found, stack = [], [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("name"), str) and ("path" in node or "schema" in node):
                found.append(node["name"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def microdata(package: Package) -> list[Resource]:
    """The non-public resources that a published aggregate is `derived_from`: records of persons."""
    sources = {r.descriptor.get("derived_from") for r in package.resources}
    return [r for r in package.resources if not r.public and r.name in sources]


def check_figures(root, reads: list[str], figures: dict[str, list[dict]], where: str) -> None:
    """A publication whose cells read microdata may chart only aggregates made with `aggregate` or `suppress`.

    `reads`: the data files the kernel read; `figures`: each figure's name and its data rows. A chart
    drawn straight from microdata carries no `<count>_suppressed` flag and could show one person.
    (Synthetic test data, also non-public, are not microdata unless an aggregate is derived from them.)
    """
    private = {str(r.path.resolve()): r.name for r in microdata(load_package(root))}
    names = sorted({private[str(Path(p).resolve())] for p in reads if str(Path(p).resolve()) in private})
    if not names:
        return
    unflagged = [name for name, rows in figures.items() if rows and not any(key.endswith("_suppressed") for key in rows[0])]
    if unflagged:
        raise UserError(
            f"{where}: {', '.join(f'figure `{n}`' for n in unflagged)} would publish data from a document that reads the microdata "
            f"{', '.join(f'`{n}`' for n in names)}, without suppression flags. Chart an aggregate made with "
            "observatorio.disclosure.aggregate (or suppress), which flags the counts below the threshold."
        )


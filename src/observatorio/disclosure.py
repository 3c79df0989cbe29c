"""Statistical disclosure control: small counts derived from non-public data are never published.

Non-public resources (microdata, synthetic test data) are never copied to the site. An aggregate
made from one must suppress every count below the threshold (`disclosure.threshold` in
data/datapackage.yaml, default 5): the cell is left empty and flagged in `<field>_suppressed`, and
tables, charts, downloads and cards show the same marker ("< 5"). A public resource that declares
`derived_from: <non-public resource>` is checked before anything is published: one count below
the threshold stops the build.
"""

from __future__ import annotations

import pandas as pd

from .data import Package, Resource, read_typed
from .errors import UserError

DEFAULT_THRESHOLD = 5


def threshold(package: Package) -> int:
    return int((package.descriptor.get("disclosure") or {}).get("threshold", DEFAULT_THRESHOLD))


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


def display(frame: pd.DataFrame, counts: list[str], limit: int) -> pd.DataFrame:
    """A copy for tables and charts: suppressed cells show the marker instead of being empty."""
    out = frame.copy().astype({c: "object" for c in counts})
    for column in counts:
        flag = f"{column}_suppressed"
        if flag in out.columns:
            out.loc[out[flag].fillna(False).astype(bool), column] = marker(limit)
    return out


def count_fields(resource: Resource) -> list[str]:
    return [f["name"] for f in resource.fields if f.get("count")]


def check_publishable(package: Package) -> None:
    """Stop when a public aggregate of non-public data would publish a count below the threshold."""
    limit = threshold(package)
    names = {r.name: r for r in package.resources}
    problems = []
    for resource in package.public_resources():
        source = resource.descriptor.get("derived_from")
        if not source:
            continue
        if source not in names:
            problems.append(f"data/datapackage.yaml: `{resource.name}.derived_from` names `{source}`, which is not a dataset.")
            continue
        if names[source].public:
            continue
        frame = read_typed(resource)
        fields = count_fields(resource)
        if not fields:
            problems.append(f"data/datapackage.yaml: `{resource.name}` is derived from non-public `{source}` but marks no field `count: true`.")
        for field in fields:
            small = frame.index[(frame[field] > 0) & (frame[field] < limit)].tolist()
            for index in small:
                problems.append(
                    f"{resource.path.relative_to(package.root)}, row {index + 2}, field `{field}`: "
                    f"{frame.at[index, field]:g} is below the disclosure threshold ({limit}) for data derived from `{source}`"
                )
    if problems:
        raise UserError(
            "small counts would be published:\n  " + "\n  ".join(problems)
            + "\nSuppress them with observatorio.disclosure.suppress (or aggregate) before saving the file."
        )

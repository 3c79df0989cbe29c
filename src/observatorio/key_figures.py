"""Key figures for the home page, computed from the data at build time.

Each figure keeps the row(s) it came from, so the page can name the source and link the dataset.
The dataset page shows the same figure under the anchor `id`, which the home page links to.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .data import load_resource
from .errors import UserError
from .i18n import Strings
from .profiles.model import country_names


@dataclass(frozen=True)
class KeyFigure:
    id: str  # anchor of the figure on its dataset page, the same in every language
    label: str
    value: str
    source: str
    dataset: str
    note: str = ""
    detail: str = ""


def _latest(frame: pd.DataFrame, what: str, **where) -> pd.Series:
    rows = frame
    for column, value in where.items():
        rows = rows[rows[column] == value]
    if rows.empty:
        raise UserError(f"key figures: no rows in `{frame.attrs.get('resource')}` for {what} ({where}).")
    year_column = "year" if "year" in rows.columns else "reference_year"
    return rows.sort_values(year_column).iloc[-1]


def _source(row: pd.Series) -> str:
    year = row.get("source_year")
    return f"{row['source_publisher']}" + (f", {int(year)}" if pd.notna(year) else "")


def compute(root: Path, s: Strings) -> list[KeyFigure]:
    lang = s.code
    figures = []

    abroad = load_resource("emigrant_stock_by_destination", root)
    world = _latest(abroad, "Cabo Verde-born people abroad", indicator="emigrant_stock_total_world", sex="both")
    figures.append(KeyFigure(
        "diaspora", s.format("key_figures.diaspora", year=int(world["year"])), s.number(world["value"]), _source(world),
        "emigrant_stock_by_destination"))

    stock = load_resource("immigrant_stock", root)
    total = _latest(stock, "immigrant stock", indicator="international_migrant_stock", sex="both")
    figures.append(KeyFigure(
        "immigrants", s.format("key_figures.immigrants", year=int(total["year"])), s.number(total["value"]), _source(total), "immigrant_stock"))
    share = _latest(stock, "immigrant share", indicator="international_migrant_stock_share_of_population", sex="both")
    figures.append(KeyFigure(
        "immigrants-share", s.format("key_figures.immigrants_share", year=int(share["year"])), s.percent(share["value"], 1), _source(share), "immigrant_stock"))

    origins = load_resource("immigrant_stock_by_origin", root)
    latest_year = int(origins["year"].max())
    top = origins[origins["year"] == latest_year].sort_values("value", ascending=False).head(3)
    names = country_names(root)
    ranking = "; ".join(f"{names[row['origin_iso3']][lang]}: {s.number(row['value'])}" for _, row in top.iterrows())
    figures.append(KeyFigure(
        "origins", s.format("key_figures.origins", year=latest_year), names[top.iloc[0]["origin_iso3"]][lang], _source(top.iloc[0]),
        "immigrant_stock_by_origin", detail=ranking))

    diaspora = load_resource("diaspora_national_sources", root)
    permits = _latest(diaspora, "residence permits in Portugal", indicator="cabo_verdean_nationals_with_residence_permit", destination_iso3="PRT")
    figures.append(KeyFigure(
        "portugal-permits", s.format("key_figures.portugal_permits", year=int(permits["reference_year"])), s.number(permits["value"]),
        _source(permits), "diaspora_national_sources"))

    ratio_year, ratio, row = remittances_share_of_gdp(root)
    figures.append(KeyFigure(
        "remittances-gdp", s.format("key_figures.remittances_gdp", year=ratio_year), s.percent(ratio, 1),
        f"{s['common.computed_by_observatory']}; {_source(row)}", "remittances", s["key_figures.remittances_gdp_note"]))
    return figures


def remittances_share_of_gdp(root: Path) -> tuple[int, float, pd.Series]:
    """Personal remittances received as % of GDP, latest year with both WDI series (current US$)."""
    frame = load_resource("remittances", root)
    usd = frame[(frame["unit"] == "current US$") & frame["counterpart_iso3"].isna()]
    remittances = usd[usd["indicator"] == "personal_remittances_received"].set_index("year")["value"]
    gdp = usd[usd["indicator"] == "gdp_current_usd"].set_index("year")["value"]
    common = remittances.index.intersection(gdp.index)
    if common.empty:
        raise UserError("key figures: the remittances dataset has no year with both remittances and GDP in current US$.")
    year = int(common.max())
    row = usd[(usd["indicator"] == "personal_remittances_received") & (usd["year"] == year)].iloc[0]
    return year, float(remittances[year] / gdp[year] * 100), row


def to_markdown(figures: list[KeyFigure], s: Strings, dataset_link) -> str:
    """A Material grid of cards; `dataset_link(name)` gives the relative link to a dataset page, where the figure is shown."""
    lines = [f"## {s['key_figures.heading']}", "", '<div class="grid cards key-figures" markdown>', ""]
    for figure in figures:
        lines.append(f"-   <span class=\"key-figure__value\">{figure.value}</span>")
        lines.append("")
        lines.append(f"    {figure.label}")
        lines.append("")
        if figure.detail:
            lines.append(f"    {figure.detail}")
            lines.append("")
        note = f" {figure.note}" if figure.note else ""
        lines.append(f"    <small>{s['common.source']}: {figure.source}.{note} [{s['common.see_dataset']}]({dataset_link(figure.dataset)}#{figure.id})</small>")
        lines.append("")
    lines += ["</div>", ""]
    return "\n".join(lines)


def on_dataset_page(figures: list[KeyFigure], s: Strings) -> list[str]:
    """The home page's figures from one dataset, each under its anchor, for that dataset's page."""
    if not figures:
        return []
    lines = [f"## {s['key_figures.heading']}", ""]
    for figure in figures:
        detail = f" ({figure.detail})" if figure.detail else ""
        note = f" {figure.note}" if figure.note else ""
        text = f"<strong>{figure.value}</strong>: {figure.label}{detail}. {s['common.source']}: {figure.source}.{note}"
        lines += [f'<p class="obs-key-figure" id="{figure.id}">{text}</p>', ""]
    return lines

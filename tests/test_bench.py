"""The benchmark's synthetic publications (bench/synthetic.py): pt/en pairs, flagged, never in the checkout."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import synthetic


def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "reports").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: test\n", encoding="utf-8")
    return root


def test_writes_flagged_pairs(tmp_path):
    root = project(tmp_path)
    folders = synthetic.write_synthetic(root, 3)
    assert [f.name for f in folders] == ["synthetic-001", "synthetic-002", "synthetic-003"]
    for folder in folders:
        assert sorted(p.name for p in folder.iterdir()) == ["index.en.qmd", "index.qmd"]
        pt, en = (folder / "index.qmd").read_text(encoding="utf-8"), (folder / "index.en.qmd").read_text(encoding="utf-8")
        for text, lang in ((pt, "pt"), (en, "en")):
            assert text.startswith("---\n" + synthetic.MARKER + "\n")
            assert f"\nlang: {lang}\n" in text
            assert "keywords: [synthetic, benchmark]" in text
            assert text.count("```{python}") == 2  # set-up and one chart
            assert "#| label: fig-serie" in text and "charts.finish(chart" in text
            assert "`{python} " in text  # inline values
        assert "sintética" in pt and "Synthetic publication" in en
        assert synthetic.is_synthetic(folder)
    assert not synthetic.is_synthetic(root / "reports")


def test_numbers_continue_from_start(tmp_path):
    root = project(tmp_path)
    folders = synthetic.write_synthetic(root, 2, start=10)
    assert [f.name for f in folders] == ["synthetic-010", "synthetic-011"]
    assert "010" in (folders[0] / "index.qmd").read_text(encoding="utf-8")


def test_front_matter_is_in_the_supported_subset(tmp_path):
    from observatorio.reports.qmd import parse

    root = project(tmp_path)
    folder = synthetic.write_synthetic(root, 1)[0]
    for name in ("index.qmd", "index.en.qmd"):
        doc = parse(folder / name)
        assert doc.meta["keywords"] == ["synthetic", "benchmark"]


def test_refuses_the_checkout():
    with pytest.raises(ValueError, match="never the checkout"):
        synthetic.write_synthetic(synthetic.REPO, 1)
    with pytest.raises(ValueError, match="never the checkout"):
        synthetic.write_synthetic(synthetic.REPO / "reports", 1)
    assert not list((synthetic.REPO / "reports").glob(f"{synthetic.PREFIX}*"))


def test_summary_lines_are_sorted_by_what_was_rebuilt():
    import bench

    result = bench.summary(
        "· building the site with MkDocs\n"
        "  notebooks/remessas-pib.ipynb (pt): executed in 4.89 s (first build) [9.1 s]\n"
        "  notebooks/remessas-pib.en.ipynb (en): unchanged, nothing executed or rendered [0.0 s]\n"
        "  reports/x (pt): rendered again (text edited, code unchanged), no cell executed [1.2 s]\n"
        "  reports/synthetic-001 (en): executed in 0.6 s (changed: data/raw/y.csv) [2.0 s]\n"
        "  campaign c: rendered 29 files (changed: campaigns/c/campaign.yml)\n"
        "  campaign d: unchanged, 29 files from the cache\n"
    )
    assert result["executed"] == ["notebooks/remessas-pib (pt)", "reports/synthetic-001 (en)"]
    assert result["rendered"] == ["reports/x (pt)"]
    assert result["unchanged"] == ["notebooks/remessas-pib (en)"]
    assert result["campaigns"] == {"c": "rendered 29 files (changed: campaigns/c/campaign.yml)", "d": "unchanged"}
    assert result["document_seconds"]["reports/synthetic-001 (en)"] == 2.0

"""Build benchmark: incremental rebuilds and scaling, as ratios to a cold build of the same run.

    nox -s bench                      # the whole benchmark (the 200-publication build takes minutes)
    nox -s bench -- --quick           # scaling with 10 and 50 publications only
    python bench/bench.py --help

Everything happens in a temporary copy of the project, never in the checkout. Each build is a
subprocess (`python -m observatorio --root COPY build --engine builtin`) that uses the copy's own
`src/` (PYTHONPATH), so edits made to the checkout while the benchmark runs do not disturb it.
Wall time is measured around the subprocess; peak memory is the largest sum of the resident set
sizes of the build's process tree (the build, its workers, Jupyter kernels, pandoc, Typst), sampled
every 50 ms with psutil.

Phases: a cold build of the reference site; a rebuild with no change; a rebuild after editing the
prose of one report; after changing one dataset (checked: exactly the publications whose sources
read it re-execute); after editing one campaign. Then, for 10, 50 and 200 synthetic publications
(see bench/synthetic.py) added to the warm reference site: the build time, the time per added
publication ((T(N) - T(no change)) / N, both languages and both formats) and the peak memory.
Last, the one parse of each report into pandoc's document tree, timed alone.
The table is printed and written as JSON (default test-artifacts/bench.json).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import PREFIX, REPO, copy_sources, write_synthetic

QUARTO_SECONDS = 7.4  # one real Quarto render, per document and format, on these machines (ARCHITECTURE.md)
PROSE_REPORT = "diaspora-remessas"
DATASET = "population"
TARGETS = {"nochange": 0.05, "prose": 0.15, "scaling": 1.2, "memory_gib": 2.0, "parse_seconds": 0.05}
LINE = re.compile(r"^(?P<kind>reports|notebooks)/(?P<slug>[^\s.]+)(?:\.[a-z]{2,3})?(?:\.ipynb)? \((?P<lang>[a-z]{2,3})\): (?P<what>.*?)(?: \[(?P<seconds>[\d.]+) s\])?$")
CAMPAIGN = re.compile(r"^campaign (?P<slug>\S+)(?: \(draft[^)]*\))?: (?P<what>.*)$")


# --- running one build -----------------------------------------------------------------------------


class PeakMemory(threading.Thread):
    """Samples the resident memory of a process and all its descendants; keeps the largest sum."""

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak, self.done = pid, interval, 0, threading.Event()

    def run(self):
        import psutil

        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self.done.is_set():
            total = 0
            try:
                processes = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                break
            for process in processes:
                try:
                    total += process.memory_info().rss
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    pass
            self.peak = max(self.peak, total)
            self.done.wait(self.interval)


def build(root: Path, jobs: int | None = None) -> dict:
    """One `observatorio build` of the project copy at `root`: seconds, peak memory, what it rebuilt."""
    env = dict(os.environ, PYTHONPATH=str(root / "src"), PYTHONDONTWRITEBYTECODE="1")
    command = [sys.executable, "-m", "observatorio", "--root", str(root), "build", "--engine", "builtin"]
    if jobs:
        command += ["--jobs", str(jobs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = PeakMemory(process.pid)
    sampler.start()
    _, err = process.communicate()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    sampler.done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"the build of {root} failed (exit {process.returncode}):\n{err[-4000:]}")
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_rss": sampler.peak, **summary(err)}


def summary(stderr: str) -> dict:
    """The build's closing summary, sorted into what was executed, rendered again and left alone."""
    lines = [line.strip() for line in stderr.splitlines() if line.startswith("  ")]
    executed, rendered, unchanged, campaigns, seconds = [], [], [], {}, {}
    for line in lines:
        match = LINE.match(line)
        if match:
            name = f"{match['kind']}/{match['slug']} ({match['lang']})"
            what = match["what"]
            (executed if what.startswith("executed") else unchanged if what.startswith("unchanged") else rendered).append(name)
            if match["seconds"]:
                seconds[name] = float(match["seconds"])
            continue
        match = CAMPAIGN.match(line)
        if match:
            campaigns[match["slug"]] = "unchanged" if "unchanged" in match["what"] else match["what"]
    return {"executed": executed, "rendered": rendered, "unchanged": unchanged, "campaigns": campaigns,
            "document_seconds": seconds, "lines": lines}


# --- the edits -------------------------------------------------------------------------------------


def edit_prose(root: Path) -> str:
    """Add a sentence to the first section of one report (Portuguese); no code or inline value changes."""
    path = root / "reports" / PROSE_REPORT / "index.qmd"
    text = path.read_text(encoding="utf-8")
    heading = next(line for line in text.split("\n") if line.startswith("## "))
    path.write_text(text.replace(heading + "\n", heading + "\n\nEste parágrafo foi acrescentado pelo benchmark.\n", 1), encoding="utf-8")
    return f"reports/{PROSE_REPORT}/index.qmd: one sentence added"


def dataset_file(root: Path, name: str) -> Path:
    import yaml

    descriptor = yaml.safe_load((root / "data" / "datapackage.yaml").read_text(encoding="utf-8"))
    entry = next(r for r in descriptor["resources"] if r["name"] == name)
    return root / "data" / entry["path"]


def edit_dataset(root: Path, name: str = DATASET) -> str:
    """Change the `notes` text of the last row of one dataset (still valid against its schema)."""
    path = dataset_file(root, name)
    raw = path.read_text(encoding="utf-8")
    newline = "\r\n" if "\r\n" in raw else "\n"
    rows = list(csv.reader(io.StringIO(raw)))
    column = rows[0].index("notes")
    rows[-1][column] = (rows[-1][column] + " Edited by the benchmark.").strip()
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return f"{path.relative_to(root)}: the notes of one row changed"


def readers(root: Path, name: str = DATASET) -> list[str]:
    """Publications (per language) whose source calls load_resource("<name>"): the ones that must re-execute."""
    pattern = re.compile(r"""load_resource\(\\?["']""" + re.escape(name) + r"""\\?["']\)""")
    found = []
    for path in sorted((root / "reports").glob("*/index*.qmd")):
        if pattern.search(path.read_text(encoding="utf-8")):
            lang = path.name.split(".")[1] if path.name.count(".") == 2 else "pt"
            found.append(f"reports/{path.parent.name} ({lang})")
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        if pattern.search(path.read_text(encoding="utf-8")):
            lang = path.name.split(".")[1] if path.name.count(".") == 2 else "pt"
            found.append(f"notebooks/{path.name.split('.')[0]} ({lang})")
    return sorted(found)


def edit_campaign(root: Path) -> str:
    """Reword the Portuguese summary of the first campaign."""
    path = min((root / "campaigns").glob("*/campaign.yml"))
    text = path.read_text(encoding="utf-8")
    edited = text.replace("é para todos.\n", "é para todos, sem exceção.\n", 1)
    if edited == text:
        edited = text + "\n# edited by the benchmark\n"
    path.write_text(edited, encoding="utf-8")
    return f"{path.relative_to(root)}: summary reworded"


def remove_synthetic(root: Path) -> None:
    """Delete the synthetic publications and their cached results, so the next size starts cold."""
    for folder in (root / "reports").glob(f"{PREFIX}*"):
        shutil.rmtree(folder)
    for cached in (root / "build" / "reports").glob(f"*/report/{PREFIX}*"):
        shutil.rmtree(cached)


# --- the benchmark ---------------------------------------------------------------------------------


def gib(size: int) -> float:
    return size / 2**30


def row(phase: str, result: dict, cold: dict, **extra) -> dict:
    return {
        "phase": phase, "seconds": round(result["seconds"], 2), "ratio_to_cold": round(result["seconds"] / cold["seconds"], 4),
        "cpu_seconds": round(result["cpu_seconds"], 2), "cpu_ratio_to_cold": round(result["cpu_seconds"] / cold["cpu_seconds"], 4),
        "peak_rss_mib": round(result["peak_rss"] / 2**20), "executed": sorted(result["executed"]),
        "rendered": sorted(result["rendered"]), "campaigns": result["campaigns"], **extra,
    }


def run(workdir: Path, sizes: list[int], jobs: int | None, log) -> dict:
    root = copy_sources(workdir / "project")
    log(f"project copied to {root}")
    rows, results = [], {}

    def step(phase: str, note: str = "", **extra) -> dict:
        log(f"building: {phase} …")
        result = build(root, jobs)
        results[phase] = result
        cold = results["cold"]["seconds"]
        rows.append(row(phase, result, results["cold"], note=note, **extra))
        log(f"  {phase}: {result['seconds']:.1f} s ({result['seconds'] / cold:.1%} of cold; CPU {result['cpu_seconds']:.1f} s, "
            f"{result['cpu_seconds'] / results['cold']['cpu_seconds']:.1%}), "
            f"{len(result['executed'])} executed, {len(result['rendered'])} rendered again, peak {gib(result['peak_rss']):.2f} GiB")
        return result

    step("cold", "reference site, empty build/")
    nochange = step("nochange", "no change")
    verify(rows[-1], not nochange["executed"] and not nochange["rendered"], f"a no-change rebuild rebuilt: {nochange['lines']}", log)

    note = edit_prose(root)
    prose = step("prose", note)
    # the edited page and PDF must be made again; the other language may be (it lives in the same folder); nothing else
    edited, folder = f"reports/{PROSE_REPORT} (pt)", {f"reports/{PROSE_REPORT} (pt)", f"reports/{PROSE_REPORT} (en)"}
    rebuilt = set(prose["executed"]) | set(prose["rendered"])
    verify(rows[-1], edited in rebuilt and rebuilt <= folder, f"prose edit rebuilt {sorted(rebuilt)}", log)
    rows[-1]["cells_executed"] = bool(prose["executed"])

    expected = readers(root)
    note = edit_dataset(root)
    data = step("dataset", note, expected=expected)
    verify(rows[-1], sorted(data["executed"]) == expected and not data["rendered"], f"dataset {DATASET}: expected {expected} to re-execute, got executed {data['executed']}, rendered {data['rendered']}", log)

    note = edit_campaign(root)
    campaign = step("campaign", note)
    changed = any(v != "unchanged" for v in campaign["campaigns"].values())
    verify(rows[-1], not campaign["executed"] and not campaign["rendered"] and changed, f"campaign edit: {campaign['lines']}", log)

    baseline = step("baseline", "no change, just before scaling (the T(0) of the time per publication)")
    scaling = []
    for size in sizes:
        write_synthetic(root, size)
        result = step(f"scale-{size}", f"{size} synthetic publications (pt+en) added, cold; the rest cached", publications=size)
        rest = build(root, jobs)
        per = (result["seconds"] - baseline["seconds"]) / size
        cpu_per = (result["cpu_seconds"] - baseline["cpu_seconds"]) / size
        entry = {
            "cpu_seconds_per_publication": round(cpu_per, 3),
            "publications": size, "seconds": round(result["seconds"], 2), "seconds_per_publication": round(per, 3),
            "raw_seconds_per_publication": round(result["seconds"] / size, 3), "peak_rss_gib": round(gib(result["peak_rss"]), 3),
            "nochange_seconds": round(rest["seconds"], 2), "nochange_cpu_seconds": round(rest["cpu_seconds"], 2),
            "executed": len(result["executed"]),
        }
        rows[-1].update(seconds_per_publication=entry["seconds_per_publication"], cpu_seconds_per_publication=entry["cpu_seconds_per_publication"],
                        nochange_after=entry["nochange_seconds"])
        scaling.append(entry)
        log(f"  {size} publications: {per:.2f} s (CPU {cpu_per:.2f} s) per publication (both languages, web and PDF); "
            f"no-change rebuild {rest['seconds']:.1f} s (CPU {rest['cpu_seconds']:.1f} s)")
        remove_synthetic(root)

    # the built-in engine against separate Quarto runs (one per language and format)
    quarto = QUARTO_SECONDS * 2 * 2
    documents = results["cold"]["document_seconds"]
    reports = sorted({name.split(" (")[0] for name in documents if name.startswith("reports/")})
    per_report = {r: round(sum(s for n, s in documents.items() if n.split(" (")[0] == r), 2) for r in reports}
    largest = scaling[-1] if scaling else None
    comparison = {
        "quarto_seconds_per_publication": quarto,
        "reference_reports_seconds": per_report,
        "reference_ratio": round(quarto / (sum(per_report.values()) / len(per_report)), 2) if per_report else None,
        "synthetic_seconds_per_publication": largest and largest["seconds_per_publication"],
        "synthetic_ratio": round(quarto / largest["seconds_per_publication"], 2) if largest and largest["seconds_per_publication"] > 0 else None,
    }
    cold = results["cold"]["seconds"]
    wrong = [r["phase"] for r in rows if r.get("verified") is False]
    cold_cpu = results["cold"]["cpu_seconds"]
    targets = [
        {"target": "each rebuild rebuilt exactly what changed", "value": ", ".join(wrong) or "yes", "limit": "yes", "met": not wrong},
        check("no-change rebuild / cold (wall)", results["nochange"]["seconds"] / cold, TARGETS["nochange"]),
        check("no-change rebuild / cold (CPU)", results["nochange"]["cpu_seconds"] / cold_cpu, TARGETS["nochange"]),
        check("one-report prose edit / cold (wall)", results["prose"]["seconds"] / cold, TARGETS["prose"]),
        check("one-report prose edit / cold (CPU)", results["prose"]["cpu_seconds"] / cold_cpu, TARGETS["prose"]),
    ]
    if len(scaling) >= 2:
        first, last = scaling[0], scaling[-1]
        targets.append(check(f"time per publication at {last['publications']} / at {first['publications']} (wall)",
                             last["seconds_per_publication"] / first["seconds_per_publication"], TARGETS["scaling"]))
        targets.append(check(f"time per publication at {last['publications']} / at {first['publications']} (CPU)",
                             last["cpu_seconds_per_publication"] / first["cpu_seconds_per_publication"], TARGETS["scaling"]))
    if scaling:
        targets.append(check(f"peak memory at {scaling[-1]['publications']} publications (GiB)", scaling[-1]["peak_rss_gib"], TARGETS["memory_gib"], strict=True))
    if comparison["synthetic_ratio"]:
        targets.append({"target": "built-in engine vs separate Quarto runs (times faster)", "value": comparison["synthetic_ratio"],
                        "limit": "several (> 1)", "met": comparison["synthetic_ratio"] > 1})
    parsing = parse_seconds(root)
    log(f"  parse into pandoc's tree: median {parsing['median'] * 1000:.0f} ms, max {parsing['max'] * 1000:.0f} ms per document")
    targets.append(check("one parse into pandoc's tree, slowest document (s)", parsing["max"], TARGETS["parse_seconds"]))
    return {"rows": rows, "scaling": scaling, "quarto": comparison, "parse": parsing, "targets": targets}


PARSE_SCRIPT = """
import json, statistics, sys, time
from pathlib import Path
from observatorio.reports.qmd import parse
documents = sorted(Path(sys.argv[1]).glob("reports/*/index*.qmd"))
for path in documents:
    parse(path)  # warm: imports, and pandoc in the page cache
best = []
for path in documents:
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        parse(path)
        runs.append(time.perf_counter() - started)
    best.append(min(runs))
print(json.dumps({"documents": len(best), "median": statistics.median(best), "max": max(best)}))
"""


def parse_seconds(root: Path) -> dict:
    """The one parse of each report into pandoc's document tree (`reports.qmd.parse`: front matter, cells,
    pandoc's AST, checks): the best of five runs per document, its median and maximum."""
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    done = subprocess.run([sys.executable, "-c", PARSE_SCRIPT, str(root)], capture_output=True, text=True, env=env, check=True)
    return json.loads(done.stdout)


def verify(entry: dict, condition: bool, message: str, log) -> None:
    """Record whether a rebuild did exactly what it should (a wrong rebuild is reported, not fatal)."""
    entry["verified"] = bool(condition)
    if not condition:
        log(f"  NOT AS EXPECTED: {message}")


def check(name: str, value: float, limit: float, strict: bool = False) -> dict:
    met = value < limit if strict else value <= limit
    return {"target": name, "value": round(value, 4), "limit": limit, "met": met}


def table(report: dict) -> str:
    out = [f"{'phase':<12} {'seconds':>8} {'/ cold':>8} {'CPU s':>8} {'/ cold':>8} {'peak MiB':>9}  rebuilt", "-" * 96]
    for r in report["rows"]:
        rebuilt = len(r["executed"]) + len(r["rendered"])
        camp = [k for k, v in r["campaigns"].items() if v != "unchanged"]
        what = f"{len(r['executed'])} executed, {len(r['rendered'])} rendered" + (f", campaign {', '.join(camp)}" if camp else "")
        if not rebuilt and not camp:
            what = "nothing"
        extra = (f" ({r['seconds_per_publication']:.2f} s, CPU {r['cpu_seconds_per_publication']:.2f} s per publication)"
                 if "seconds_per_publication" in r else "")
        out.append(f"{r['phase']:<12} {r['seconds']:>8.1f} {r['ratio_to_cold']:>8.1%} {r['cpu_seconds']:>8.1f} {r['cpu_ratio_to_cold']:>8.1%} "
                   f"{r['peak_rss_mib']:>9}  {what}{extra}")
    q = report["quarto"]
    out += ["", f"Quarto, separate runs: {q['quarto_seconds_per_publication']:.1f} s per publication (2 languages × 2 formats × {QUARTO_SECONDS} s)"]
    if q["reference_ratio"]:
        out.append(f"built-in, reference reports (sum of per-document times, pt+en): {q['reference_reports_seconds']} → {q['reference_ratio']}× faster")
    if q["synthetic_ratio"]:
        out.append(f"built-in, synthetic publications (wall time per added publication): {q['synthetic_seconds_per_publication']} s → {q['synthetic_ratio']}× faster")
    if report.get("parse"):
        p = report["parse"]
        out.append(f"one parse into pandoc's tree: median {p['median'] * 1000:.0f} ms, max {p['max'] * 1000:.0f} ms per document ({p['documents']} reports)")
    out += ["", "targets:"]
    for t in report["targets"]:
        out.append(f"  {'met   ' if t['met'] else 'MISSED'} {t['target']}: {t['value']} (limit {t['limit']})")
    return "\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="scaling with 10 and 50 publications only")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=None, help="publication counts, e.g. 10,50,200")
    parser.add_argument("--jobs", type=int, default=None, help="passed to `observatorio build --jobs` (default: all cores)")
    parser.add_argument("--output", type=Path, default=REPO / "test-artifacts" / "bench.json", help="where to write the JSON")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copy (its path is printed)")
    args = parser.parse_args(argv)
    sizes = args.sizes or ([10, 50] if args.quick else [10, 50, 200])

    def log(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    workdir = Path(tempfile.mkdtemp(prefix="observatorio-bench-"))
    load_before = os.getloadavg()
    started = time.time()
    try:
        report = run(workdir, sizes, args.jobs, log)
    finally:
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    report["run"] = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)), "minutes": round((time.time() - started) / 60, 1),
        "cpus": os.cpu_count(), "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()], "python": platform.python_version(),
        "sizes": sizes, "jobs": args.jobs, "command": "nox -s bench" + (" -- --quick" if args.quick else ""),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(report))
    print(f"\nwritten to {args.output}")
    return 0 if all(t["met"] for t in report["targets"]) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Speed benchmark of the collection against its floor (``make bench``).

Each figure is the median of several runs, with the spread (min-max) shown. Results go to the console and to
``benchmarks/results/bench.csv``.

1. Collection execution: every notebook in a fresh kernel, against a floor notebook that only imports what the
   notebooks import (pandas, seaborn, matplotlib, ipywidgets, utils). Ratio per notebook and for the collection.
2. Data layer: ``utils.data.load()`` of every table, cold (first call in a fresh process) and warm (cached), against
   plain ``pandas.read_csv`` of the same files in a fresh process.
3. Import cost: ``import utils`` and its submodules, against ``import pandas`` alone (fresh processes).
4. Refresh: ``python -m utils.refresh milex <newest workbook> --dry-run`` against ``pandas.read_excel`` of the same
   sheets (both as fresh processes), when the official workbook is available.
5. Explorer response: time from a control change to a redrawn figure, for each widget factory, called directly.

Usage: python benchmarks/run.py [--runs N] [--only collection,data,imports,refresh,explorers]
"""

from __future__ import annotations

import argparse
import csv
import importlib
import inspect
import json
import os
import pkgutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # so that `utils` resolves even if the venv is not active

from utils import course, paths  # noqa: E402

RESULTS = REPO / "benchmarks" / "results" / "bench.csv"
PYTHON = sys.executable
TARGETS = {
    "notebook": 1.5,  # each notebook <= 1.5 x floor
    "collection": 1.3,  # whole collection <= 1.3 x floor
    "load_cold": 1.5,  # cold load of all tables <= 1.5 x read_csv
    "refresh": 1.5,  # refresh <= 1.5 x read_excel
    "explorer_ms": 250.0,  # redraw <= 250 ms
}
FLOOR_SOURCE = "import pandas, seaborn, matplotlib, ipywidgets\nimport matplotlib.pyplot as plt\nimport utils\nfrom utils import data, plots, widgets\n"


def median_spread(samples: list[float]) -> tuple[float, float, float]:
    return statistics.median(samples), min(samples), max(samples)


def time_python(code: str, runs: int) -> list[float]:
    """Seconds reported by ``code`` (which prints one float) in fresh processes."""
    out = []
    for _ in range(runs):
        result = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
        out.append(float(result.stdout.strip().splitlines()[-1]))
    return out


def time_command(argv: list[str], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, capture_output=True, cwd=REPO, check=True)
        out.append(time.perf_counter() - start)
    return out


# ------------------------------------------------------------------------------------------------ 1. notebooks


def execute_notebook_seconds(path: Path) -> float:
    """Wall time to execute a notebook in a fresh kernel, started in the notebook's folder (as nbval does)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def bench_collection(runs: int) -> list[dict]:
    import nbformat

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        floor_path = Path(tmp) / "floor.ipynb"
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_SOURCE)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, floor_path)
        floor = [execute_notebook_seconds(floor_path) for _ in range(runs)]
    floor_median = statistics.median(floor)
    rows.append(row("collection", "floor notebook (imports only)", floor, None, None))
    total = 0.0
    notebooks = course.notebook_files()
    for index, path in enumerate(notebooks, start=1):
        print(f"  executing {path.name} ({index}/{len(notebooks)}) x{runs}", file=sys.stderr, flush=True)
        samples = [execute_notebook_seconds(path) for _ in range(runs)]
        total += statistics.median(samples)
        rows.append(row("collection", path.name, samples, floor_median, TARGETS["notebook"]))
    rows.append(
        {
            "group": "collection",
            "item": f"whole collection ({len(notebooks)} notebooks)",
            "median_s": total,
            "min_s": "",
            "max_s": "",
            "baseline_s": floor_median * len(notebooks),
            "ratio": total / (floor_median * len(notebooks)),
            "target": TARGETS["collection"],
        }
    )
    return rows


# ------------------------------------------------------------------------------------------------ 2. data layer


def bench_data(runs: int) -> list[dict]:
    names = json.dumps(_table_names())
    folder = json.dumps(str(paths.data_dir()))
    cold = (
        "import time, utils.data as d\n"
        f"names = {names}\n"
        "t = time.perf_counter()\n"
        "[d.load(n) for n in names]\n"
        "print(time.perf_counter() - t)\n"
    )
    warm = (
        "import time, utils.data as d\n"
        f"names = {names}\n"
        "[d.load(n) for n in names]\n"
        "t = time.perf_counter()\n"
        "[d.load(n) for n in names]\n"
        "print(time.perf_counter() - t)\n"
    )
    plain = (
        "import time, pathlib, pandas as pd\n"
        f"names = {names}; folder = pathlib.Path({folder})\n"
        "t = time.perf_counter()\n"
        "[pd.read_csv(folder / f'{n}.csv') for n in names]\n"
        "print(time.perf_counter() - t)\n"
    )
    base = time_python(plain, runs)
    base_median = statistics.median(base)
    first_ever = []
    for _ in range(runs):  # an empty parse cache: the very first load on a new machine
        with tempfile.TemporaryDirectory() as empty_cache:
            os.environ["CSTO_CACHE_DIR"] = empty_cache
            first_ever += time_python(cold, 1)
    os.environ.pop("CSTO_CACHE_DIR", None)
    time_python(cold, 1)  # fill the default parse cache
    return [
        row("data", "pandas.read_csv, all tables", base, None, None),
        row("data", "utils.data.load, all tables, cold, empty parse cache", first_ever, base_median, None),
        row("data", "utils.data.load, all tables, cold", time_python(cold, runs), base_median, TARGETS["load_cold"]),
        row("data", "utils.data.load, all tables, warm", time_python(warm, runs), base_median, None),
    ]


def _table_names() -> list[str]:
    from utils import data

    return data.table_names()


# ------------------------------------------------------------------------------------------------ 3. imports


def bench_imports(runs: int) -> list[dict]:
    def code(statement: str) -> str:
        return f"import time\nt = time.perf_counter()\n{statement}\nprint(time.perf_counter() - t)\n"

    base = time_python(code("import pandas"), runs)
    base_median = statistics.median(base)
    rows = [row("imports", "import pandas", base, None, None)]
    modules = ["utils", "utils.data", "utils.metrics", "utils.plots", "utils.widgets"]
    for module in modules:
        if importlib.util.find_spec(module) is None:
            continue
        rows.append(row("imports", f"import {module}", time_python(code(f"import {module}"), runs), base_median, None))
    return rows


# ------------------------------------------------------------------------------------------------ 4. refresh


def newest_milex_workbook() -> Path | None:
    folder = paths.SHARED_SOURCES_DIR / "sipri_milex"
    books = sorted(folder.glob("SIPRI-Milex-data-*.xlsx"))
    return books[-1] if books else None


def bench_refresh(runs: int) -> list[dict]:
    workbook = newest_milex_workbook()
    if workbook is None:
        print("  refresh: no SIPRI workbook in ../shared/sources/sipri_milex, skipped", file=sys.stderr)
        return []
    from openpyxl import load_workbook

    sheets = [s for s in load_workbook(workbook, read_only=True).sheetnames
              if s.startswith(("Constant", "Current", "Share of", "Per capita"))]
    read_excel = [PYTHON, "-c", f"import pandas as pd; pd.read_excel({str(workbook)!r}, sheet_name={sheets!r})"]
    refresh = [PYTHON, "-m", "utils.refresh", "milex", str(workbook), "--dry-run"]
    base = time_command(read_excel, runs)
    base_median = statistics.median(base)
    return [
        row("refresh", f"pandas.read_excel, {len(sheets)} sheets", base, None, None),
        row("refresh", "python -m utils.refresh milex --dry-run", time_command(refresh, runs), base_median, TARGETS["refresh"]),
    ]


# ------------------------------------------------------------------------------------------------ 5. explorers


def explorer_factories() -> list[tuple[str, object]]:
    """Every public function in utils.widgets.* that builds an Explorer and needs no arguments."""
    import utils.widgets as widgets_pkg

    found = []
    for info in pkgutil.iter_modules(widgets_pkg.__path__):
        module = importlib.import_module(f"utils.widgets.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            required = [p for p in inspect.signature(function).parameters.values()
                        if p.default is inspect.Parameter.empty and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
            if not required:
                found.append((f"{module.__name__}.{name}", function))
    return found


def _another_value(control):
    """A different valid value for a control, inside its bounds."""
    import ipywidgets as widgets

    value = control.value
    if isinstance(control, widgets.SelectMultiple):
        options = list(control._options_values)  # the values behind (label, value) options
        return tuple(options[:1]) if tuple(options[:1]) != value else tuple(options[:2])
    if isinstance(control, widgets.widget_selection._Selection):
        return next((o for o in control._options_values if o != value), value)
    if isinstance(value, tuple):  # range slider: move the lower bound up by one step
        low, high = value
        return (min(low + 1, high), high)
    if isinstance(value, bool):
        return not value
    if hasattr(control, "max"):
        return control.max if value != control.max else control.min
    return value


def bench_explorers(runs: int) -> list[dict]:
    import contextlib
    import io

    from utils.widgets import Explorer

    # An IPython shell with the inline backend, so that each redraw also renders the PNG the notebook would show
    # (display() runs every formatter); the text it prints is discarded.
    import matplotlib

    matplotlib.use("Agg")
    import utils.widgets as widgets_pkg

    sink = io.StringIO()

    def display_as_notebook(item):
        # What the notebook's inline backend does with a figure: render it to PNG (tight bounding box).
        if isinstance(item, matplotlib.figure.Figure):
            item.savefig(io.BytesIO(), format="png", bbox_inches="tight")

    widgets_pkg.display = display_as_notebook  # the Explorer calls display() for every figure it draws

    rows = []
    for name, factory in explorer_factories():
        with contextlib.redirect_stdout(sink):
            built = factory()
        if not isinstance(built, Explorer):
            continue
        for control_name, control in built.controls.items():
            samples = []
            for _ in range(runs):
                new = _another_value(control)
                if new == control.value:
                    break
                with contextlib.redirect_stdout(sink):
                    start = time.perf_counter()
                    control.value = new  # the Explorer redraws synchronously on the change
                    samples.append((time.perf_counter() - start) * 1000)
            if samples:
                med, low, high = median_spread(samples)
                rows.append({"group": "explorers", "item": f"{name} / {control_name}", "median_s": med / 1000,
                             "min_s": low / 1000, "max_s": high / 1000, "baseline_s": "", "ratio": "",
                             "target": f"{TARGETS['explorer_ms']:.0f} ms", "median_ms": med})
    return rows


# ------------------------------------------------------------------------------------------------ report


def row(group: str, item: str, samples: list[float], baseline: float | None, target: float | None) -> dict:
    med, low, high = median_spread(samples)
    return {
        "group": group,
        "item": item,
        "median_s": med,
        "min_s": low,
        "max_s": high,
        "baseline_s": baseline if baseline is not None else "",
        "ratio": med / baseline if baseline else "",
        "target": f"<= {target} x" if target else "",
    }


def verdict(result: dict) -> str:
    if result["group"] == "explorers":
        return "ok" if result["median_ms"] <= TARGETS["explorer_ms"] else "MISS"
    if result["ratio"] == "" or not result["target"]:
        return ""
    limit = float(str(result["target"]).split()[1]) if isinstance(result["target"], str) else result["target"]
    return "ok" if result["ratio"] <= limit else "MISS"


def print_table(results: list[dict]) -> None:
    print(f"\n{'group':<11} {'item':<58} {'median':>9} {'spread':>17} {'ratio':>7}  target     ")
    for r in results:
        spread = f"{r['min_s']:.3f}-{r['max_s']:.3f}" if r["min_s"] != "" else ""
        ratio = f"{r['ratio']:.2f}" if r["ratio"] != "" else ""
        target = r["target"] if isinstance(r["target"], str) else f"<= {r['target']} x"
        print(f"{r['group']:<11} {r['item'][:58]:<58} {r['median_s']:>8.3f}s {spread:>17} {ratio:>7}  {target:<10} {verdict(r)}")


def write_csv(results: list[dict]) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    fields = ["group", "item", "median_s", "min_s", "max_s", "baseline_s", "ratio", "target", "verdict"]
    with RESULTS.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        for r in results:
            writer.writerow({**r, "verdict": verdict(r)})
    print(f"\nresults written to {RESULTS.relative_to(REPO)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median reported)")
    parser.add_argument("--only", default="collection,data,imports,refresh,explorers")
    args = parser.parse_args()
    os.environ.setdefault("MPLBACKEND", "Agg")
    benches = {"data": bench_data, "imports": bench_imports, "refresh": bench_refresh,
               "explorers": bench_explorers, "collection": bench_collection}
    results = []
    for name in [n for n in ("data", "imports", "refresh", "explorers", "collection") if n in args.only.split(",")]:
        print(f"benchmark: {name} ...", file=sys.stderr, flush=True)
        results += benches[name](args.runs)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print_table(results)
    write_csv(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Speed benchmark of the collection against its floor (``make bench``).

Each figure is the median of several runs, with the spread (min-max) shown. Results go to the console and to
``benchmarks/results/bench.csv``.

1. Collection execution: every notebook in a fresh kernel, against two floors, run in rounds (floors, then each
   notebook) with the inline backend, as in JupyterLab:
   - the *imports floor*, one notebook that only imports what every notebook needs (pandas, seaborn, matplotlib,
     ipywidgets, utils.read.data): ratio per notebook and for the collection;
   - each notebook's *figure floor*, a fresh kernel with the notebook's own imports and theme drawing as many simple
     seaborn charts as the notebook shows (counted in its executed outputs): what the notebook costs beyond its
     figures. Target per notebook <= 1.5 x either floor.
2. Data layer: ``utils.read.data.load()`` of every table, cold (first call in a fresh process) and warm (cached), against
   plain ``pandas.read_csv`` of the same files in a fresh process.
3. Import cost: ``import utils`` and its submodules, against ``import pandas`` alone (fresh processes).
4. Refresh: ``python -m utils.write.refresh milex <newest workbook> --dry-run`` against ``pandas.read_excel`` of the same
   sheets (both as fresh processes), when the official workbook is available.
5. Explorer response: each notebook runs in a kernel (nbclient); inside that kernel every live ipywidgets
   ``interactive`` explorer (what ``interact`` builds) has each control changed to another allowed value, timed
   from the change to the redrawn figure's PNG. Target <= 250 ms per control.
6. Set-up: a fresh ``git clone`` of this repository to ``make lab`` serving the start notebook, with uv and with
   pip, cold (empty uv/pip caches) and warm. Target with uv <= 20 s.

Usage: python benchmarks/run.py [--runs N] [--only setup,collection,data,imports,refresh,explorers] [--notebooks 08,03]
(--notebooks: the collection and explorer benchmarks measure only the notebooks whose names start with these prefixes)
"""

from __future__ import annotations

import argparse
import ast
import csv
import importlib
import json
import os
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
    "setup_s": 20.0,  # fresh clone -> make lab serving the start notebook, with uv, <= 20 s
}
FLOOR_SOURCE = "import pandas, seaborn, matplotlib, ipywidgets\nimport matplotlib.pyplot as plt\nfrom utils.read import data\n"


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


def execute_notebook(path: Path):
    """Execute a notebook in a fresh kernel, started in the notebook's folder (as nbval does): (seconds, executed nb)."""
    import nbformat
    from utils.tools.notebook_runner import NotebookRunner as NotebookClient  # no widget hang (nbclient #312)

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start, nb


def execute_notebook_seconds(path: Path) -> float:
    return execute_notebook(path)[0]


def figures_shown(nb) -> int:
    """How many figures (PNG outputs) an executed notebook shows, in its cells and in its explorers' output widgets."""
    outputs = [output for cell in nb.cells for output in cell.get("outputs", [])]
    widgets = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    outputs += [output for widget in widgets.values() for output in widget.get("state", {}).get("outputs", [])]
    return sum("image/png" in output.get("data", {}) for output in outputs)


def import_statements(nb) -> list[str]:
    """The notebook's top-level import statements, in order (what its kernel loads before any analysis)."""
    found = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:  # a cell with IPython syntax: it imports nothing the floor needs
            continue
        found += [ast.unparse(node) for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    return list(dict.fromkeys(found))


#: One simple seaborn chart per cell of the figure floor.
SIMPLE_CHART = "sns.lineplot(x=range(30), y=[i % 7 for i in range(30)])\nplt.show()\n"


def figure_floor_notebook(nb, figures: int):
    """A notebook with ``nb``'s imports and theme that draws ``figures`` simple seaborn charts, one per cell."""
    import nbformat

    setup = "\n".join(["import matplotlib.pyplot as plt", "import seaborn as sns", *import_statements(nb)])
    if any("plots.set_theme()" in cell.source for cell in nb.cells if cell.cell_type == "code"):
        setup += "\nfrom utils.read import plots\nplots.set_theme()"
    cells = [nbformat.v4.new_code_cell(setup)] + [nbformat.v4.new_code_cell(SIMPLE_CHART) for _ in range(figures)]
    floor = nbformat.v4.new_notebook(cells=cells)
    floor.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return floor


def bench_collection(runs: int, prefixes: tuple[str, ...] = ()) -> list[dict]:
    """The floors and every notebook, in rounds: each round runs the imports floor and then, for each notebook, its
    figure floor and the notebook once, so a machine that slows down or speeds up during the benchmark shifts floors
    and notebooks alike (ratios of medians). A notebook's figure floor is built from its first run."""
    import nbformat

    notebooks = [p for p in course.notebook_files() if not prefixes or p.name.startswith(prefixes)]
    samples: dict[str, list[float]] = {"floor": [], **{path.name: [] for path in notebooks}}
    figure_floors: dict[str, list[float]] = {path.name: [] for path in notebooks}
    figure_counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        floor_path = Path(tmp) / "floor.ipynb"
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_SOURCE)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, floor_path)
        for round_number in range(1, runs + 1):
            print(f"  round {round_number}/{runs}: the floors and {len(notebooks)} notebooks", file=sys.stderr, flush=True)
            samples["floor"].append(execute_notebook_seconds(floor_path))
            for path in notebooks:
                figure_floor_path = Path(tmp) / f"figure-floor-{path.name}"
                if path.name in figure_counts:
                    figure_floors[path.name].append(execute_notebook_seconds(figure_floor_path))
                seconds, executed = execute_notebook(path)
                samples[path.name].append(seconds)
                if path.name not in figure_counts:
                    figure_counts[path.name] = figures_shown(executed)
                    nbformat.write(figure_floor_notebook(executed, figure_counts[path.name]), figure_floor_path)
                    figure_floors[path.name].append(execute_notebook_seconds(figure_floor_path))
    floor_median = statistics.median(samples["floor"])
    rows = [row("collection", "imports floor (imports only)", samples["floor"], None, None)]
    for path in notebooks:
        figure_floor = statistics.median(figure_floors[path.name])
        rows.append(row("collection", f"{path.name} vs imports floor", samples[path.name], floor_median,
                        TARGETS["notebook"]))
        rows.append(row("collection", f"  figure floor: its imports + {figure_counts[path.name]} simple charts",
                        figure_floors[path.name], None, None))
        rows.append(row("collection", f"{path.name} vs its figure floor", samples[path.name], figure_floor,
                        TARGETS["notebook"]))
    if prefixes:
        return rows
    total = sum(statistics.median(samples[path.name]) for path in notebooks)
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
        "import time, utils.read.data as d\n"
        f"names = {names}\n"
        "t = time.perf_counter()\n"
        "[d.load(n) for n in names]\n"
        "print(time.perf_counter() - t)\n"
    )
    warm = (
        "import time, utils.read.data as d\n"
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
    return [
        row("data", "pandas.read_csv, all tables", base, None, None),
        row("data", "utils.read.data.load, all tables, cold", time_python(cold, runs), base_median, TARGETS["load_cold"]),
        row("data", "utils.read.data.load, all tables, warm", time_python(warm, runs), base_median, None),
    ]


def _table_names() -> list[str]:
    from utils.read import data

    return data.table_names()


# ------------------------------------------------------------------------------------------------ 3. imports


def bench_imports(runs: int) -> list[dict]:
    def code(statement: str) -> str:
        return f"import time\nt = time.perf_counter()\n{statement}\nprint(time.perf_counter() - t)\n"

    base = time_python(code("import pandas"), runs)
    base_median = statistics.median(base)
    rows = [row("imports", "import pandas", base, None, None)]
    modules = ["utils", "utils.read.data", "utils.read.metrics", "utils.read.plots"]
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
    refresh = [PYTHON, "-m", "utils.write.refresh", "milex", str(workbook), "--dry-run"]
    base = time_command(read_excel, runs)
    base_median = statistics.median(base)
    return [
        row("refresh", f"pandas.read_excel, {len(sheets)} sheets", base, None, None),
        row("refresh", "python -m utils.write.refresh milex --dry-run", time_command(refresh, runs), base_median, TARGETS["refresh"]),
    ]


# ------------------------------------------------------------------------------------------------ 5. explorers


def _another_value(control):
    """A different valid value for a control, inside its bounds (runs inside the kernel: no outside names)."""
    import ipywidgets as widgets

    value = control.value
    if isinstance(control, widgets.SelectMultiple):
        options = list(control._options_values)  # the values behind (label, value) options
        return tuple(options[:1]) if tuple(options[:1]) != value else tuple(options[:2])
    if isinstance(control, widgets.widget_selection._Selection):
        return next((o for o in control._options_values if o != value), value)
    if isinstance(value, tuple):  # range slider: move the lower bound up by one step
        low, high = value
        return (min(low + getattr(control, "step", 1), high), high)
    if isinstance(value, bool):
        return not value
    if hasattr(control, "max"):
        return control.max if value != control.max else control.min
    return value


def _time_explorers(runs):
    """Inside the notebook's kernel: every live ipywidgets ``interactive`` (what ``interact`` builds), each control
    changed to another allowed value, timed from the change to the last PNG the redraw published. Prints JSON."""
    import json
    import time

    import ipywidgets
    from ipywidgets.widgets import widget as widget_module

    registry = getattr(widget_module, "_instances", None) or ipywidgets.Widget.widgets
    shell = get_ipython()  # noqa: F821  (defined in the kernel)
    published = []

    def note_png(message):
        if "image/png" in message.get("content", {}).get("data", {}):
            published.append(time.perf_counter())
        return message

    shell.display_pub.register_hook(note_png)
    rows = []
    try:
        explorers = [w for w in list(registry.values()) if isinstance(w, ipywidgets.interactive)]
        for number, explorer in enumerate(explorers, start=1):
            name = getattr(explorer.f, "__name__", "explorer")
            for control in explorer.kwargs_widgets:
                samples, figures = [], True
                for _ in range(runs):
                    new = _another_value(control)
                    if new == control.value:
                        break
                    published.clear()
                    start = time.perf_counter()
                    control.value = new  # interactive redraws synchronously on the change
                    if explorer.manual:
                        explorer.update()
                    end = published[-1] if published else time.perf_counter()
                    # The explorer's Output widget keeps what it captured in the kernel: the PNG is there when the
                    # redraw drew one (its rendering is inside the timed change, which runs synchronously).
                    captured = any("image/png" in o.get("data", {}) for o in explorer.out.outputs if isinstance(o, dict))
                    figures = figures and (bool(published) or captured)
                    samples.append((end - start) * 1000)
                if samples:
                    label = control.description or type(control).__name__
                    rows.append({"explorer": f"{number}:{name}", "control": label, "ms": samples, "png": figures})
    finally:
        shell.display_pub.unregister_hook(note_png)
    print(json.dumps(rows))


def explorer_timings(path: Path, runs: int) -> list[dict]:
    """Run the notebook in a fresh kernel (as nbval does), then time its explorers in that kernel."""
    import inspect as inspect_module

    import nbformat
    from utils.tools.notebook_runner import NotebookRunner as NotebookClient  # no widget hang (nbclient #312)

    nb = nbformat.read(path, as_version=4)
    probe = "\n\n".join(inspect_module.getsource(f) for f in (_another_value, _time_explorers))
    nb.cells.append(nbformat.v4.new_code_cell(f"{probe}\n\n_time_explorers({runs})"))
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("name") == "stdout")
    return json.loads(text.strip().splitlines()[-1])


def bench_explorers(runs: int, prefixes: tuple[str, ...] = ()) -> list[dict]:
    rows = []
    for path in [p for p in course.notebook_files() if not prefixes or p.name.startswith(prefixes)]:
        print(f"  explorers of {path.name}", file=sys.stderr, flush=True)
        for timing in explorer_timings(path, runs):
            med, low, high = median_spread(timing["ms"])
            note = "" if timing["png"] else " (no figure drawn)"
            rows.append({"group": "explorers", "item": f"{path.stem} / {timing['explorer']} / {timing['control']}{note}",
                         "median_s": med / 1000, "min_s": low / 1000, "max_s": high / 1000, "baseline_s": "",
                         "ratio": "", "target": f"{TARGETS['explorer_ms']:.0f} ms", "median_ms": med})
    if not rows:
        print("  explorers: no ipywidgets interactive/interact explorer found in the notebooks", file=sys.stderr)
    return rows


# ------------------------------------------------------------------------------------------------ 6. set-up


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_setup_seconds(installer: str, caches: Path, workdir: Path) -> float:
    """Seconds from ``git clone`` to ``make lab`` serving the start notebook, in a fresh clone.

    ``installer`` is "uv" or "pip" (make's INSTALLER); ``caches`` holds the uv and pip caches to use (empty: cold).
    uv is kept off PATH, so the uv runs include installing uv itself into the new venv.
    """
    import re
    import signal
    import threading
    import urllib.request

    clone = workdir / f"clone-{installer}-{time.monotonic_ns()}"
    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if not (Path(p) / "uv").exists())
    env = {**os.environ, "PATH": path, "UV_CACHE_DIR": str(caches / "uv"), "PIP_CACHE_DIR": str(caches / "pip")}
    for name in ("VIRTUAL_ENV", "JUPYTER_CONFIG_PATH", "MPLBACKEND"):
        env.pop(name, None)
    port = _free_port()
    start = time.perf_counter()
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True, env=env)
    lab = subprocess.Popen(["make", "lab", f"PORT={port}", f"INSTALLER={installer}"], cwd=clone, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    token, log = [], []

    def read_output():
        for line in lab.stdout:
            log.append(line)
            found = re.search(r"token=([0-9a-f]+)", line)
            if found and not token:
                token.append(found.group(1))

    threading.Thread(target=read_output, daemon=True).start()
    try:
        deadline = time.monotonic() + 900
        while True:
            if token:
                try:
                    url = f"http://127.0.0.1:{port}/api/contents/{START_NOTEBOOK}?token={token[0]}&content=0"
                    urllib.request.urlopen(url, timeout=2)
                    page = f"http://127.0.0.1:{port}/lab/tree/{START_NOTEBOOK}?token={token[0]}"
                    urllib.request.urlopen(page, timeout=5)
                    return time.perf_counter() - start
                except OSError:
                    pass
            if lab.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"make lab ({installer}) did not serve the start notebook:\n{''.join(log)[-2000:]}")
            time.sleep(0.2)
    finally:
        if lab.poll() is None:
            os.killpg(lab.pid, signal.SIGTERM)  # make and the Lab it started: the session this run created
            lab.wait(timeout=30)
        if any("installing with pip instead" in line for line in log):
            print(f"  note: the {installer} run fell back to pip", file=sys.stderr)


START_NOTEBOOK = "notebooks/00_start_here.ipynb"


def bench_setup(runs: int) -> list[dict]:
    """Fresh clone -> make lab serving the start notebook, uv and pip side by side, cold and warm caches.

    Clones the committed HEAD of this repository (uncommitted changes are not measured). Cold: empty uv and pip
    caches (pip's configured indexes and local mirrors stay as they are). Warm: the caches the cold run filled.
    """
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        measured = {}
        for installer in ("uv", "pip"):
            caches = work / f"caches-{installer}"
            for state in ("cold", "warm"):
                print(f"  fresh clone -> make lab serving {START_NOTEBOOK}, {installer}, {state} caches",
                      file=sys.stderr, flush=True)
                # Each cold run starts from empty caches; the warm runs reuse what the first cold run filled.
                samples = []
                for run in range(runs if state == "warm" else 1):
                    samples.append(fresh_setup_seconds(installer, caches, work))
                measured[(installer, state)] = samples
        for state in ("cold", "warm"):
            pip_median = statistics.median(measured[("pip", state)])
            rows.append(row("setup", f"fresh clone -> make lab serving 00, pip, {state} caches",
                            measured[("pip", state)], None, None))
            uv_row = row("setup", f"fresh clone -> make lab serving 00, uv, {state} caches",
                         measured[("uv", state)], pip_median, None)
            uv_row["target"] = f"{TARGETS['setup_s']:.0f} s"
            uv_row["limit_s"] = TARGETS["setup_s"]
            rows.append(uv_row)
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
    if "limit_s" in result:
        return "ok" if result["median_s"] <= result["limit_s"] else "MISS"
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
    parser.add_argument("--only", default="setup,collection,data,imports,refresh,explorers")
    parser.add_argument("--notebooks", default="", help="collection, explorers: only notebooks starting with these, e.g. 08,03")
    args = parser.parse_args()
    prefixes = tuple(p.strip() for p in args.notebooks.split(",") if p.strip())
    # Notebooks are measured as a student runs them: kernels started by this script inherit its environment, and
    # with MPLBACKEND=Agg they would skip the inline backend, which draws every figure into a PNG.
    os.environ.pop("MPLBACKEND", None)
    benches = {"data": bench_data, "imports": bench_imports, "refresh": bench_refresh,
               "explorers": lambda runs: bench_explorers(runs, prefixes),
               "collection": lambda runs: bench_collection(runs, prefixes), "setup": bench_setup}
    results = []
    order = ("data", "imports", "refresh", "explorers", "collection", "setup")
    for name in [n for n in order if n in args.only.split(",")]:
        print(f"benchmark: {name} ...", file=sys.stderr, flush=True)
        results += benches[name](args.runs)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print_table(results)
    write_csv(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""A class on the rehearsal hub: N simulated students at once, timed and weighed; the sizing of a real hub from it.

    python benchmarks/hub.py [--students 10] [--write]        (make bench-hub)

Starts the rehearsal hub (hub/launch.py) on a free loopback port with a local clone of this repository as the course.
Every student at the same time logs in, follows the nbgitpuller link and runs all of lesson 03 in a kernel of their
own (hub/students.py drives it over HTTP as a browser would). Measured per student: the time from the login form to
the last cell's result, the resident memory of their server plus kernel (sampled twice a second; the highest sum is
their peak) and the CPU time both used. From these, :func:`derive` sizes a class of 30 and Zero to JupyterHub's
memory guarantee and limit. ``--write`` stores the measurement in hub/sizing.json, which docs/hub.md and
hub/values.yaml are checked against (tests/test_hub_config.py).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SIZING = REPO / "hub" / "sizing.json"
LESSON = "03_military_spending.ipynb"
PASSWORD = "benchmark-password"
#: The class the sizing is for.
CLASS_SIZE = 30
#: Cores enough that the whole class can run the lesson at the same moment and all finish within this many seconds.
ALL_AT_ONCE_SECONDS = 120
#: Headroom of the memory limit over a server with two lessons' kernels open (students explore: other years, more
#: figures; JupyterLab keeps a kernel running for every notebook left open).
LIMIT_HEADROOM = 1.25


def _load_students():
    spec = importlib.util.spec_from_file_location("hub_students", REPO / "hub" / "students.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _round_up(value: float, step: int) -> int:
    return int(math.ceil(value / step) * step)


def derive(measured: dict) -> dict:
    """The sizing a measurement implies (one rule, used by the benchmark, the docs' check and the YAML's check).

    - memory for a class of 30: every student at their largest peak at once, plus the hub's own processes,
      rounded up to whole GB;
    - cores: the CPU time of one student's whole lesson, times 30, done within ALL_AT_ONCE_SECONDS;
    - Zero to JupyterHub: guarantee = the median peak (rounded up to 128 MiB); limit = the largest server with two
      lessons' kernels open at once, with 25% headroom (rounded up to 256 MiB).
    """
    class_mib = CLASS_SIZE * measured["peak_mib_worst"] + measured["hub_mib"]
    cores = math.ceil(CLASS_SIZE * measured["cpu_seconds_median"] / ALL_AT_ONCE_SECONDS)
    guarantee = _round_up(measured["peak_mib_median"], 128)
    limit = _round_up((measured["server_mib_worst"] + 2 * measured["kernel_mib_worst"]) * LIMIT_HEADROOM, 256)
    return {
        "class_size": CLASS_SIZE,
        "class_memory_gb": math.ceil(class_mib / 1024),
        "class_cores": cores,
        "memory_guarantee": f"{guarantee}M",
        "memory_limit": f"{limit}M",
        "cpu_guarantee": round(math.ceil(100 * cores / CLASS_SIZE) / 100, 2),
        "cpu_limit": 1,
    }


def sizing_sentence(derived: dict) -> str:
    return (f"A class of {derived['class_size']} needs about {derived['class_memory_gb']} GB of memory and "
            f"{derived['class_cores']} cores.")


def sizing_table(sizing: dict) -> str:
    """The Markdown table of a measurement, as docs/hub.md shows it (checked there word for word)."""
    m, d = sizing["measured"], sizing["derived"]
    rows = [
        ("students at once, each running all of lesson 03", f"{m['students']} (all done in {m['wall_seconds']:.0f} s)"),
        ("machine", m["machine"]),
        ("time per student, login to last result: median / worst", f"{m['seconds_median']:.0f} s / {m['seconds_worst']:.0f} s"),
        ("of which the server starting and the course pulled (median)", f"{m['ready_seconds_median']:.0f} s"),
        ("memory per student, server + kernel at peak: median / worst",
         f"{m['peak_mib_median']:.0f} MiB / {m['peak_mib_worst']:.0f} MiB"),
        ("of which the server / the kernel (worst)", f"{m['server_mib_worst']:.0f} MiB / {m['kernel_mib_worst']:.0f} MiB"),
        ("the hub itself (hub, proxy, idle culler)", f"{m['hub_mib']:.0f} MiB"),
        ("CPU time per student for the whole lesson (median)", f"{m['cpu_seconds_median']:.0f} s"),
        (f"a class of {d['class_size']}: memory / cores", f"about {d['class_memory_gb']} GB / {d['class_cores']} cores"),
        ("Zero to JupyterHub per student: memory guarantee / limit", f"{d['memory_guarantee']} / {d['memory_limit']}"),
        ("Zero to JupyterHub per student: CPU guarantee / limit", f"{d['cpu_guarantee']} / {d['cpu_limit']}"),
    ]
    lines = ["| measured with `make bench-hub` | |", "|---|---|"]
    lines += [f"| {what} | {value} |" for what, value in rows]
    return "\n".join(lines)


def _cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except OSError:
            continue
    return total / ticks


def _rss_mib(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def measure(count: int) -> dict:
    students = _load_students()
    from utils import course

    with tempfile.TemporaryDirectory(prefix="csto-bench-hub-") as scratch:
        scratch = Path(scratch)
        upstream = scratch / "course"
        subprocess.run(["git", "clone", "--quiet", str(REPO), str(upstream)], check=True)
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
        subprocess.run(["git", "checkout", "--quiet", "-B", "main", head], cwd=upstream, check=True)
        state = (scratch / "hub").resolve()
        names = [f"student{i:02d}" for i in range(1, count + 1)]
        peaks = dict.fromkeys(names, 0.0)
        server_peaks, kernel_peaks = dict.fromkeys(names, 0.0), dict.fromkeys(names, 0.0)
        hub_peak = [0.0]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                hub_pids = [pid for pid, owner in students.process_owners(state).items() if owner is None]
                hub_peak[0] = max(hub_peak[0], _rss_mib(hub_pids))
                for name in names:
                    theirs = students.student_processes(state, name)
                    server, kernel = _rss_mib(theirs["server"]), _rss_mib(theirs["kernel"])
                    peaks[name] = max(peaks[name], server + kernel)
                    server_peaks[name] = max(server_peaks[name], server)
                    kernel_peaks[name] = max(kernel_peaks[name], kernel)
                time.sleep(0.5)

        with students.running_hub(state, upstream, PASSWORD) as url:
            link = course.hub_link(url, lesson="03", repo=str(upstream))

            def one_student(name: str) -> dict:
                start = time.monotonic()
                student = students.Student(url, name, PASSWORD, timeout=600)
                student.log_in()
                student.follow_course_link(link)
                ready = time.monotonic()
                student.run_notebook(f"{course.HUB_COURSE_FOLDER}/notebooks/{LESSON}", cell_timeout=600)
                end = time.monotonic()
                cpu = _cpu_seconds(sum(students.student_processes(state, name).values(), []))
                return {"name": name, "seconds": end - start, "ready_seconds": ready - start,
                        "run_seconds": end - ready, "cpu_seconds": cpu}

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            started = time.monotonic()
            with ThreadPoolExecutor(max_workers=count) as pool:
                rows = list(pool.map(one_student, names))
            wall = time.monotonic() - started
            done.set()
            sampler.join()
    for row in rows:
        row["peak_mib"] = peaks[row["name"]]
        row["server_peak_mib"], row["kernel_peak_mib"] = server_peaks[row["name"]], kernel_peaks[row["name"]]
    seconds = [row["seconds"] for row in rows]
    return {
        "students": count,
        "lesson": LESSON,
        "machine": f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, "
                   f"{platform.system()} {platform.machine()}",
        "wall_seconds": round(wall, 1),
        "seconds_median": round(statistics.median(seconds), 1),
        "seconds_worst": round(max(seconds), 1),
        "ready_seconds_median": round(statistics.median(r["ready_seconds"] for r in rows), 1),
        "cpu_seconds_median": round(statistics.median(r["cpu_seconds"] for r in rows), 1),
        "peak_mib_median": round(statistics.median(peaks.values()), 0),
        "peak_mib_worst": round(max(peaks.values()), 0),
        "server_mib_worst": round(max(server_peaks.values()), 0),
        "kernel_mib_worst": round(max(kernel_peaks.values()), 0),
        "hub_mib": round(hub_peak[0], 0),
        "per_student": [{k: (round(v, 1) if isinstance(v, float) else v) for k, v in row.items()} for row in rows],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=10)
    parser.add_argument("--write", action="store_true", help=f"store the measurement in {SIZING.relative_to(REPO)}")
    args = parser.parse_args(argv)
    if args.students < 1:
        parser.error("--students must be at least 1")
    sys.path.insert(0, str(REPO))
    measured = measure(args.students)
    derived = derive(measured)
    print(f"{measured['students']} students at once on {measured['machine']}: all done in "
          f"{measured['wall_seconds']:.0f} s")
    print(f"  time per student (login to last cell): median {measured['seconds_median']:.0f} s, "
          f"worst {measured['seconds_worst']:.0f} s (server ready after {measured['ready_seconds_median']:.0f} s)")
    print(f"  memory per student (server + kernel, peak): median {measured['peak_mib_median']:.0f} MiB, "
          f"worst {measured['peak_mib_worst']:.0f} MiB; the hub itself {measured['hub_mib']:.0f} MiB")
    print(f"  of which the server {measured['server_mib_worst']:.0f} MiB and the kernel {measured['kernel_mib_worst']:.0f} MiB (worst)")
    print(f"  CPU per student for the whole lesson: median {measured['cpu_seconds_median']:.0f} s")
    print(f"  {sizing_sentence(derived)} Zero to JupyterHub: memory guarantee {derived['memory_guarantee']}, "
          f"limit {derived['memory_limit']}; cpu guarantee {derived['cpu_guarantee']}, limit {derived['cpu_limit']}")
    if args.write:
        SIZING.write_text(json.dumps({"measured": measured, "derived": derived}, indent=2) + "\n", encoding="utf-8")
        print(f"  written to {SIZING.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

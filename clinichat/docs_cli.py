"""`clinichat docs …`: the document library from a terminal, for IT and scripts.

The library lives in the encrypted history, so these commands open it as the window does:
with the key from the keychain, or with the history's passphrase, asked on the terminal or
read from `--passphrase-file` (refused if other users may read that file). Results go to
stdout (text, or JSON with --json), progress and problems to stderr; a file that cannot be
indexed is reported and the others go on, and the exit status is then 1. With a document
search model installed, `add`, `reindex` and `search` first give the passages still missing
one their vectors, and `search` ranks by meaning too (`--words-only` skips it).
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from clinichat.config.settings import Settings
from clinichat.documents.library import (
    DEFAULT_COLLECTION,
    SEARCH_LIMIT,
    DocumentLibrary,
    DocumentRow,
    Outcome,
    Passage,
)
from clinichat.documents.vectors import embed_missing, meaning_of
from clinichat.documents.watched import WatchedFolders
from clinichat.history.sqlcipher_store import EncryptedStore
from clinichat.history.vault import Vault, VaultState
from clinichat.messages import UserError
from clinichat.models.catalog import load_catalog
from clinichat.models.registry import ModelRegistry
from clinichat.paths import AppPaths
from clinichat.resources import bundled_catalog_path
from clinichat.secret_file import SecretFileError, read_secret_file

if TYPE_CHECKING:  # xllamacpp loads only when a search model is there to use
    from clinichat.llm.engines.llamacpp_embedding import LlamaCppEmbedder


class HistoryClosed(Exception):
    """The history cannot be opened from the terminal; the message says why."""


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    # Before the action or after it: `docs add PATH --passphrase-file F` is how an IT script
    # reads, and it was refused as an unknown argument. Unset stays unset (SUPPRESS), so
    # the action's parser does not overwrite a value given before it.
    passphrase = argparse.ArgumentParser(add_help=False)
    passphrase.add_argument(
        "--passphrase-file",
        type=Path,
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="read the history's passphrase from FILE (readable by you only)",
    )
    docs = commands.add_parser(
        "docs",
        parents=[passphrase],
        help="add, list, search or remove the clinic's documents (encrypted library)",
    )
    actions = docs.add_subparsers(dest="action", metavar="action", required=True)

    def action(name: str, summary: str) -> argparse.ArgumentParser:
        return actions.add_parser(name, parents=[passphrase], help=summary)

    adding = action("add", "index files and folders (PDF, DOCX, TXT, MD, HTML)")
    adding.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    adding.add_argument("--collection", default=DEFAULT_COLLECTION, metavar="NAME")
    adding.add_argument(
        "--watch",
        action="store_true",
        help="keep the folders up to date in the app (new, changed and deleted files)",
    )
    listing = action("list", "list the documents and why any is not indexed")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    searching = action("search", "the passages that best match a question")
    searching.add_argument("query")
    searching.add_argument("--collection", metavar="NAME")
    searching.add_argument("--limit", type=int, default=SEARCH_LIMIT, metavar="N")
    searching.add_argument("--json", action="store_true", help="machine-readable output")
    searching.add_argument(
        "--words-only",
        action="store_true",
        help="search by words alone, even when a document search model is installed",
    )
    removing = action("remove", "forget a document (file name or path)")
    removing.add_argument("name", metavar="NAME|PATH")
    action("reindex", "re-read changed files, forget removed ones")
    action("watched", "the folders kept up to date, and their collections")
    unwatching = action("unwatch", "stop keeping a folder up to date")
    unwatching.add_argument("folder", type=Path, metavar="FOLDER")


def run(args: argparse.Namespace, paths: AppPaths) -> int:
    try:
        with _library(paths, getattr(args, "passphrase_file", None)) as library:
            return _act(library, args, paths)
    except (HistoryClosed, UserError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def _act(library: DocumentLibrary, args: argparse.Namespace, paths: AppPaths) -> int:
    watched = WatchedFolders(library)
    if args.action == "watched":
        for folder in watched.folders():
            print(f"{folder.folder}\t{folder.collection}")
        return 0
    if args.action == "unwatch":
        return 0 if watched.unwatch(args.folder) else 2
    if args.action == "add" and args.watch:
        for folder in (p for p in args.paths if p.is_dir()):
            watched.watch(folder, args.collection)
    if args.action in ("add", "reindex"):
        outcomes = (
            library.add(args.paths, args.collection, _progress)
            if args.action == "add"
            else library.reindex(_progress)
        )
        with _embedder(paths) as embedder:
            if embedder is not None:
                _embed(library, embedder)
        return _report(outcomes)
    if args.action == "list":
        rows = library.documents()
        if args.json:
            print(json.dumps([_as_json(r) for r in rows], indent=2, ensure_ascii=False))
        for row in [] if args.json else rows:
            state = str(row.problem) if row.problem else f"{row.passages} passages"
            pages = f"{row.pages} pages" if row.pages else "no pages"
            print(f"{row.collection}\t{row.name}\t{pages}\t{state}\t{row.path}")
        return 0
    if args.action == "search":
        collections = [args.collection] if args.collection else None
        meaning = None
        with _embedder(None if args.words_only else paths) as embedder:
            if embedder is not None:
                _embed(library, embedder)
                meaning = meaning_of(embedder, args.query)
        hits = library.search(
            args.query, collections=collections, limit=args.limit, meaning=meaning
        )
        if args.json:
            print(json.dumps([_as_json(h) for h in hits], indent=2, ensure_ascii=False))
        for n, hit in enumerate([] if args.json else hits, start=1):
            where = f"page {hit.page}" if hit.page else (hit.heading or "no page")
            print(f"[{n}] {hit.document}, {where}\n    {hit.text}\n")
        if not hits:
            print("Nothing in the documents matches.", file=sys.stderr)
        return 0
    removed = library.remove(args.name)
    print(f"removed {removed} document(s)", file=sys.stderr)
    return 0 if removed else 2


@contextmanager
def _embedder(paths: AppPaths | None) -> Iterator[LlamaCppEmbedder | None]:
    """The document search model the window would use (Settings, else the first installed);
    None without one (or `paths`): words alone."""
    model = None
    if paths is not None:
        catalog, _problems = load_catalog(bundled_catalog_path())
        model = ModelRegistry(paths.models, catalog).document_model(
            Settings(paths.config).document_model
        )
    if model is None:
        yield None
        return
    from clinichat.llm.engines.llamacpp_embedding import LlamaCppEmbedder

    embedder = LlamaCppEmbedder.load(model.path, threads=os.cpu_count() or 1, declared=True)
    try:
        yield embedder
    finally:
        embedder.close()


def _embed(library: DocumentLibrary, embedder: LlamaCppEmbedder) -> None:
    """Give the passages still without one a vector, saying how far it got on stderr."""
    done, total = library.vectors.coverage(embedder.name)
    if done == total:
        return
    print(
        f"search by meaning ({embedder.name}): {total - done} passage(s) to embed", file=sys.stderr
    )

    def progress(made: int) -> bool:
        print(f"  {done + made} of {total}", file=sys.stderr)
        return True

    embed_missing(library.vectors, embedder, progress)


def _progress(outcome: Outcome) -> None:
    if outcome.status == "failed":
        print(f"failed    {outcome.problem}", file=sys.stderr)
    else:
        print(f"{outcome.status:<9} {outcome.path} ({outcome.passages} passages)", file=sys.stderr)


def _report(outcomes: list[Outcome]) -> int:
    failed = sum(o.status == "failed" for o in outcomes)
    print(f"{len(outcomes)} file(s), {failed} not indexed", file=sys.stderr)
    return 1 if failed else 0


def _as_json(row: DocumentRow | Passage) -> dict[str, object]:
    fields = dataclasses.asdict(row)
    fields["path"] = str(row.path)
    if isinstance(row, DocumentRow):
        fields["problem"] = str(row.problem) if row.problem else None
    return fields


@contextmanager
def _library(paths: AppPaths, passphrase_file: Path | None) -> Iterator[DocumentLibrary]:
    vault = Vault(paths.data)
    state = vault.state()
    if state is VaultState.NEW:
        raise HistoryClosed(
            f"there is no history in {paths.data} yet: open ClinicChat once to create it"
        )
    if state is VaultState.INSECURE_KEYCHAIN:
        raise HistoryClosed(
            "the history's key is kept in a store that is not a real keychain: open"
            " ClinicChat to protect it with a passphrase first"
        )
    if state is VaultState.KEY_MISSING:
        raise HistoryClosed("the history's key is missing: open ClinicChat to recover it")
    passphrase = _passphrase(passphrase_file) if state is VaultState.PASSPHRASE else None
    store = EncryptedStore(vault.unlock(passphrase))
    # The window may have the same history open: wait for its writes, do not fail.
    store.connection.execute("PRAGMA busy_timeout = 10000")
    try:
        yield DocumentLibrary(store.connection)
    finally:
        store.close()


def _passphrase(path: Path | None) -> str:
    if path is not None:
        try:
            return read_secret_file(path)
        except SecretFileError as error:
            raise HistoryClosed(str(error)) from error
    if not sys.stdin.isatty():
        raise HistoryClosed(
            "the history is protected by a passphrase: run this in a terminal or give"
            " --passphrase-file"
        )
    return getpass.getpass("History passphrase: ")

"""Remember which model was loading, so a crash inside the load is not repeated every start.

When llama.cpp aborts while reading a model file, the whole process dies and no Python code
runs afterwards: nothing can note the failure at that moment. So the note is written before
the load: a small marker file naming the model, removed again when the load ends either way
(loaded, or refused with an error). A marker found at the next start means that run died
while loading; that model is "suspect", and the app does not load it on its own again but
says why, until the user chooses it explicitly (a successful load clears the suspicion).

The marker holds the model's file name and path only: no chat text, nothing about patients.
It is written atomically and readable only by the user. Qt-free: the worker thread writes
it, the window reads it.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path
from typing import Final

from clinichat.atomic import write_atomically
from clinichat.messages import QT_TRANSLATE_NOOP, UserError

__all__ = ["MARKER_NAME", "LoadGuard", "SuspectModelNotice"]

log = logging.getLogger(__name__)

MARKER_NAME: Final = "loading-model.json"
_VERSION: Final = 1


class SuspectModelNotice(UserError):
    """Not raised: the message the window shows at start about a suspect model."""


_SUSPECT = QT_TRANSLATE_NOOP(
    "Errors",
    "ClinicChat stopped while loading {name} last time, so it was not loaded again. Choose it"
    " in the model list to try again, or remove it in File → Models.",
)


class LoadGuard:
    """The marker file in one folder; reads what an earlier run left when it is created.

    Create it once at start, before any load: `suspect_model()` answers about the earlier
    run, not about a load this run has begun. `loading()` and `finished()` may be called
    from the worker thread while the window asks `suspect_model()` on the main thread.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.marker = self.folder / MARKER_NAME
        self._lock = threading.Lock()
        self._loading: str | None = None
        self._suspect = self._read()
        if self._suspect is not None:
            log.warning("the previous run stopped while loading model file %s", self._suspect)

    def _read(self) -> str | None:
        try:
            data = json.loads(self.marker.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            # Unreadable or cut short (a crash mid-write cannot do that, a full disk might):
            # a load was under way, but of which file is unknown.
            log.warning("unreadable model loading marker %s; removed", self.marker)
            self._remove()
            return None
        name = data.get("file") if isinstance(data, dict) else None
        return name if isinstance(name, str) and name else None

    def suspect_model(self) -> str | None:
        """The file name of the model an earlier run died loading, or None."""
        with self._lock:
            return self._suspect

    def suspect_notice(self) -> SuspectModelNotice | None:
        """The message to show at start, or None when the last run did not die loading."""
        name = self.suspect_model()
        return None if name is None else SuspectModelNotice(_SUSPECT, name=name)

    def loading(self, path: Path) -> None:
        """Note that `path` is about to be loaded. Never fails the load: a marker that
        cannot be written (full disk, read-only folder) only costs this protection."""
        path = Path(path)
        record = {"version": _VERSION, "file": path.name, "path": str(path), "pid": os.getpid()}
        with self._lock:
            self._loading = path.name
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                # Through mkstemp: the file is created 0600, before any byte is written.
                write_atomically(self.marker, json.dumps(record).encode("utf-8"))
            except OSError as error:
                log.warning("could not write the model loading marker: %s", type(error).__name__)

    def finished(self) -> None:
        """The load ended without killing the app (loaded, or refused with an error): the
        file loaded this time is no longer suspect."""
        with self._lock:
            if self._loading is not None and self._loading == self._suspect:
                self._suspect = None
            self._loading = None
            self._remove()

    def clear(self) -> None:
        """Forget the suspect model (the user removed it, or was told and chose another)."""
        with self._lock:
            self._suspect = None
            if self._loading is None:
                self._remove()

    def _remove(self) -> None:
        try:
            self.marker.unlink(missing_ok=True)
        except OSError as error:
            log.warning("could not remove the model loading marker: %s", type(error).__name__)

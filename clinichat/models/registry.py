"""The models installed in one models folder.

The folder itself is the registry (no index file to drift out of date): every *.gguf file in
it is a model. Files only ever appear there complete and checked, through an atomic rename, so
a crash or a full disk mid-import never leaves a half-copied model that looks installed.

"Checked" includes one real load in a child process (probe.py): a file can pass every header
check and still abort llama.cpp, which would kill the app each time it is chosen. Imports
and downloads are probed before they are offered; a file that fails is never installed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from clinichat.llm.engines.base import EMBEDDING, GPT4ALL
from clinichat.llm.engines.choice import EngineChoice, choose_engine, gpt4all_knows_format
from clinichat.messages import QT_TRANSLATE_NOOP
from clinichat.models.catalog import CatalogEntry, file_name_problem, find_by_filename
from clinichat.models.gguf import GGUFError, GGUFInfo, read_info
from clinichat.models.gguf_alias import alias_in_place, copy_with_alias
from clinichat.models.probe import probe_load
from clinichat.models.verify import (
    has_checksum,
    hash_file,
    record_unchecked,
    record_verified,
    remove_record,
)

__all__ = ["InstalledModel", "ModelExistsError", "ModelRegistry"]

MODEL_SUFFIX: Final = ".gguf"
PART_SUFFIX: Final = ".part"
# A finished download while it is being probed: not a *.gguf name, so never listed meanwhile.
PROBING_SUFFIX: Final = ".probing"

#: Loads a file in a child process (path, the name to show, the engine that will run it);
#: raises GGUFError if it fails.
Prober = Callable[[Path, str, str], object]


class ModelExistsError(GGUFError):
    """An import would overwrite an installed model; the user must decide, not the app."""


@dataclass(frozen=True)
class InstalledModel:
    """A model file in the models folder, with what the catalog and its header say."""

    path: Path
    filename: str
    display_name: str
    size: int
    catalog_entry: CatalogEntry | None
    info: GGUFInfo
    # Which engine runs it by default (the user may pick the other one in its settings).
    engine: EngineChoice
    # An embedding model: it finds document passages by meaning and never chats.
    for_documents: bool = False


def _check_plain_name(filename: str) -> None:
    """File names come from the UI and the catalog; never let one reach outside the folder.

    The rule is the catalog's (`file_name_problem`), so a name the catalog would refuse is
    refused here too, plus this system's own separators.
    """
    problem = file_name_problem(filename)
    if (
        problem is not None
        or any(sep in filename for sep in ("/", "\\", os.sep, "\0"))
        or (os.altsep is not None and os.altsep in filename)
    ):
        raise ValueError(f"not a plain file name: {filename!r} ({problem or 'a separator'})")


def _import_name(src: Path) -> str:
    """The installed name: the source's name with a lower-case .gguf suffix (listed by glob)."""
    if src.suffix.lower() == MODEL_SUFFIX:
        return src.stem + MODEL_SUFFIX
    return src.name + MODEL_SUFFIX


class ModelRegistry:
    """Lists, imports and removes the models in one folder."""

    def __init__(
        self,
        models_dir: Path,
        catalog: Iterable[CatalogEntry],
        *,
        probe: Prober | None = probe_load,
    ) -> None:
        """`probe=None` skips the test load: only for tests with header-only fake files."""
        self.models_dir = Path(models_dir)
        self.catalog = list(catalog)
        self._probe = probe
        # Files skipped by the last `installed()` call, as "name: reason" lines for the UI.
        self.problems: list[str] = []

    def choose_engine(
        self, filename: str, info: GGUFInfo, *, allow_alias: bool = False
    ) -> EngineChoice:
        """The engine for this file, given what the catalog says about it."""
        entry = find_by_filename(self.catalog, filename)
        return choose_engine(
            info,
            known_format=gpt4all_knows_format(info, entry.prompt_template if entry else None),
            catalog_engine=entry.engine if entry is not None else None,
            allow_alias=allow_alias,
        )

    def for_documents(self, filename: str, info: GGUFInfo) -> bool:
        """Whether the file is an embedding model: its header declares a pooling, or the
        catalog says so (a Qwen3 embedding file may look like a chat model otherwise)."""
        entry = find_by_filename(self.catalog, filename)
        return info.embedding_model or (entry is not None and entry.embedding_model)

    def _usable(self, filename: str, info: GGUFInfo, *, allow_alias: bool = False) -> str:
        """The engine that will run this file; raises the reason when no engine can."""
        if self.for_documents(filename, info):
            return EMBEDDING
        choice = self.choose_engine(filename, info, allow_alias=allow_alias)
        if choice.engine is None:
            problem = choice.problem()
            assert problem is not None, "no engine means both said why"
            raise GGUFError(problem.text, **problem.args_map)
        return choice.engine

    def _model(self, path: Path, info: GGUFInfo) -> InstalledModel:
        entry = find_by_filename(self.catalog, path.name)
        display = entry.name if entry else (info.name or "").strip() or path.stem
        return InstalledModel(
            path=path,
            filename=path.name,
            display_name=display,
            size=info.file_size,
            catalog_entry=entry,
            info=info,
            engine=self.choose_engine(path.name, info),
            for_documents=self.for_documents(path.name, info),
        )

    def _load(self, path: Path) -> InstalledModel:
        info = read_info(path)
        self._usable(path.name, info)
        return self._model(path, info)

    def installed(self) -> list[InstalledModel]:
        """The chat models, sorted by file name; files that are not usable are in
        `problems`."""
        return [m for m in self._all() if not m.for_documents]

    def document_models(self) -> list[InstalledModel]:
        """The embedding models (document search), sorted by file name."""
        return [m for m in self._all() if m.for_documents]

    def document_model(self, preferred: str | None) -> InstalledModel | None:
        """The embedding model to search documents with: `preferred` when it is installed,
        else the first one (so installing one is enough); None when there is none."""
        models = self.document_models()
        chosen = next((m for m in models if m.filename == preferred), None)
        return chosen or next(iter(models), None)

    def _all(self) -> list[InstalledModel]:
        self.problems = []
        try:
            paths = sorted(self.models_dir.glob("*" + MODEL_SUFFIX))
        except OSError as e:
            self.problems.append(f"{self.models_dir}: {e.strerror or e}")
            return []
        models: list[InstalledModel] = []
        for path in paths:
            if not path.is_file():
                continue
            name_problem = file_name_problem(path.name)
            if name_problem is not None:  # e.g. "aux.gguf" copied in by hand on Linux
                self.problems.append(
                    f"{path.name!r}: not usable as a model file name ({name_problem})"
                )
                continue
            try:
                models.append(self._load(path))
            except GGUFError as e:
                self.problems.append(f"{path.name}: {e}")
        return models

    def find(self, filename: str, *, for_documents: bool = False) -> InstalledModel | None:
        """The installed chat model (or, `for_documents`, embedding model) with this file
        name; None if absent, unusable, or of the other kind."""
        _check_plain_name(filename)
        path = self.models_dir / filename
        if path.suffix != MODEL_SUFFIX or not path.is_file():
            return None
        try:
            model = self._load(path)
        except GGUFError:
            return None
        return model if model.for_documents == for_documents else None

    def import_file(self, src: Path) -> InstalledModel:
        """Check a model file and copy it into the folder; raise GGUFError if it is unusable.

        The checks run before a single byte is copied (no waiting minutes for a 4 GB copy to
        then be told the model cannot run). The copy goes to a .part file, which is renamed
        into place only once complete, flushed and probe-loaded, and removed on any failure.
        The probe loads the copy, not the source: the copy carries the tokenizer alias, so
        it is exactly what will be installed.
        """
        src = Path(src)
        info = read_info(src)
        name = _import_name(src)
        engine = self._usable(name, info, allow_alias=True)
        if file_name_problem(name) is not None:
            raise GGUFError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The file name '{name}' cannot be used for a model (it is reserved on"
                    " Windows, or has characters that are not allowed in file names). Rename"
                    " the file and import it again.",
                ),
                name=name,
            )
        dst = self.models_dir / name
        if dst.exists():
            raise ModelExistsError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "A model file named '{name}' is already installed. Remove it first, or"
                    " rename the file you are importing.",
                ),
                name=name,
            )
        part = dst.with_name(name + PART_SUFFIX)
        try:
            self.models_dir.mkdir(parents=True, exist_ok=True)
            free = shutil.disk_usage(self.models_dir).free
            if free < info.file_size:
                raise GGUFError(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "There is not enough free disk space for this model: it needs"
                        " {needed} GB, and {free} GB is free.",
                    ),
                    needed=f"{info.file_size / 1e9:.1f}",
                    free=f"{free / 1e9:.1f}",
                )
            # The alias is for gpt4all's older llama.cpp only; llama.cpp reads the original.
            copy_with_alias(src, part, alias=engine == GPT4ALL)
            copied = read_info(part)
            engine = self._usable(name, copied)
            if self._probe is not None:
                self._probe(part, name, engine)
            if dst.exists():  # appeared while we copied
                raise ModelExistsError(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "A model file named '{name}' was installed while this one was being"
                        " copied.",
                    ),
                    name=name,
                )
            os.replace(part, dst)
        except OSError as e:
            part.unlink(missing_ok=True)
            raise GGUFError(
                QT_TRANSLATE_NOOP("Errors", "ClinicChat could not copy the model file ({reason})."),
                reason=e.strerror or e,
            ) from e
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        return self._model(dst, read_info(dst))

    def adopt_download(self, filename: str) -> InstalledModel:
        """Make a downloaded file (checksum already verified) ready for chat.

        Applies the pre-tokenizer alias in place when the file needs one, then records the
        installed file's checksum, so verifying it later does not report the alias as damage.
        When the catalog gave no checksum, the record says "not verified" instead.
        A file the backend cannot load raises GGUFError and stays, listed with the reason;
        one that fails the test load (it would abort the app) is deleted, and raises
        ModelProbeError.
        """
        _check_plain_name(filename)
        path = self.models_dir / filename
        engine = self._usable(filename, read_info(path), allow_alias=True)
        if engine == GPT4ALL:
            alias_in_place(path)
        self._probe_download(path, engine)
        model = self._load(path)
        if not has_checksum(model.catalog_entry):
            # Nothing was checked during the download: say so, never "verified".
            record_unchecked(model.path)
            return model
        return self.mark_verified(model)

    def _probe_download(self, path: Path, engine: str) -> None:
        """Test-load a downloaded file under a name the folder does not list; delete it if it
        fails, so neither this run nor the next can offer it."""
        if self._probe is None:
            return
        staged = path.with_name(path.name + PROBING_SUFFIX)
        os.replace(path, staged)
        try:
            self._probe(staged, path.name, engine)
        except BaseException:
            staged.unlink(missing_ok=True)
            remove_record(path)
            raise
        os.replace(staged, path)

    def mark_verified(self, model: InstalledModel) -> InstalledModel:
        """Record the checksum of a file whose origin was just verified (download, starter)."""
        entry = model.catalog_entry
        algorithm = "sha256" if entry is not None and entry.sha256sum else "md5"
        record_verified(model.path, algorithm, hash_file(model.path, algorithm))
        return model

    def remove(self, filename: str) -> None:
        """Delete an installed model, its verification record and any partial copy."""
        _check_plain_name(filename)
        path = self.models_dir / filename
        path.unlink()
        remove_record(path)
        path.with_name(filename + PART_SUFFIX).unlink(missing_ok=True)

"""What the clinician sees when an engine cannot start, or a model cannot come back.

- A backend that cannot be imported (a GPU build of xllamacpp without its runtime) gives a
  clear load error naming the engine, and the device list still offers the other engine's.
- The llama.cpp engine rebuilds its server for a thread change; if the model file is gone by
  then, the session reports a failed load instead of an exception in the worker thread.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from clinichat.llm import engines
from clinichat.llm.engines.base import LLAMACPP, ModelLoadError, ModelSpec
from clinichat.llm.session import ChatSession
from clinichat.messages import UserError

pytestmark = pytest.mark.slow


def test_an_engine_that_cannot_import_says_so(
    monkeypatch: pytest.MonkeyPatch, starter_model: Path
) -> None:
    # None in sys.modules makes Python's import raise ImportError, as a broken build would.
    monkeypatch.setitem(sys.modules, "xllamacpp", None)
    monkeypatch.delitem(sys.modules, "clinichat.llm.engines.llamacpp", raising=False)
    spec = ModelSpec(starter_model, "%1", 256, engine=LLAMACPP)
    with pytest.raises(ModelLoadError) as raised:
        engines.load_engine(spec, threads=1)
    assert str(raised.value).startswith("The llama.cpp engine could not start on this computer")
    assert "choose the other engine" in str(raised.value)
    assert all(not device.startswith("llamacpp:") for device in engines.list_gpus())


@pytest.fixture
def session() -> Iterator[ChatSession]:
    chat = ChatSession()
    try:
        yield chat
    finally:
        chat.shutdown()


def test_a_model_lost_on_a_thread_change_is_a_failed_load(
    qtbot: QtBot, session: ChatSession, starter_model: Path, tmp_path: Path
) -> None:
    model = tmp_path / "copy.gguf"
    shutil.copy2(starter_model, model)
    with qtbot.waitSignal(session.model_loaded, timeout=60_000):
        session.load_model(ModelSpec(model, "%1", 256, engine=LLAMACPP), "Copy", 1)
    model.unlink()  # removed from the models folder while loaded
    with qtbot.waitSignal(session.model_load_failed, timeout=60_000) as failed:
        session.set_threads(2)
    error = failed.args[0]
    assert isinstance(error, UserError)
    assert "could not be read" in str(error) or "could not be loaded" in str(error)
    assert not session.has_model and not session.is_ready

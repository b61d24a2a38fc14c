"""One real llama.cpp server (the starter model, access key TEST_API_KEY) for the module, a
front before it, and windows set up to use it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import xllamacpp
from llama_server import TEST_API_KEY, FrontProxy, address_of, llama_server
from memory_keyring import MemoryKeyring
from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot
from server_windows import Windows

from clinichat.remote.client import OpenAIClient
from clinichat.remote.server import RemoteServer


@pytest.fixture(scope="module")
def server(starter_model: Path) -> Iterator[xllamacpp.Server]:
    yield llama_server(starter_model, api_key=TEST_API_KEY)


@pytest.fixture(scope="module")
def model_id(server: xllamacpp.Server, qapp: QCoreApplication) -> str:
    """The id the server lists its model by (llama.cpp: the file's path)."""
    return OpenAIClient(RemoteServer(server.listening_address, TEST_API_KEY)).models()[0]


@pytest.fixture
def front(server: xllamacpp.Server) -> Iterator[FrontProxy]:
    """A plain-http front before the server, whose faults a test sets."""
    proxy = FrontProxy(address_of(server))
    yield proxy
    proxy.close()


@pytest.fixture
def windows(
    qtbot: QtBot, tmp_path: Path, starter_model: Path, model_id: str, memory_keyring: MemoryKeyring
) -> Iterator[Windows]:
    made = Windows(qtbot, tmp_path, starter_model, model_id)
    yield made
    made.close()

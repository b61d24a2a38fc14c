"""One real llama.cpp server (the starter model, access key TEST_API_KEY) for the module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import xllamacpp
from llama_server import TEST_API_KEY, llama_server


@pytest.fixture(scope="module")
def server(starter_model: Path) -> Iterator[xllamacpp.Server]:
    yield llama_server(starter_model, api_key=TEST_API_KEY)

"""Several conversations answered at once by the clinic's server, in the real window: a real
llama.cpp server on 127.0.0.1 with two slots (the starter model) behind a real TLS front
signed by a test clinic CA, so every lane's own connection must carry the CA file. Both
answers stream together while a third question waits on this PC, stopping one leaves the
other writing, each answer is saved in its own conversation, and a busy server makes only
the answer it refused wait."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
import xllamacpp
from certificates import make_certificates
from llama_server import TEST_API_KEY, FrontProxy, address_of, llama_server
from pytestqt.qtbot import QtBot
from server_windows import TIMEOUT_MS, Windows
from windows import answer_of, ask_in_new_conversation

from clinichat.history.store import Status
from clinichat.llm.engines.base import REMOTE, GenerationParams
from clinichat.ui.main_window import MainWindow

pytestmark = pytest.mark.slow
LONG = GenerationParams(max_tokens=160, temperature=0.0, top_k=1, repeat_penalty=1.0)


@pytest.fixture(scope="module")
def server(starter_model: Path) -> Iterator[xllamacpp.Server]:
    """The server of tests/remote/conftest.py, with two slots: it batches two answers."""
    yield llama_server(starter_model, api_key=TEST_API_KEY, slots=2)


@pytest.fixture
def clinic_tls(tmp_path: Path) -> tuple[Path, ssl.SSLContext]:
    """The clinic CA's file, and the server side of TLS with a certificate it signed."""
    ca_pem, cert_file, key_file = make_certificates(tmp_path)
    ca_file = tmp_path / "clinic-ca.pem"
    ca_file.write_bytes(ca_pem)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return ca_file, context


@pytest.fixture
def front(
    server: xllamacpp.Server, clinic_tls: tuple[Path, ssl.SSLContext]
) -> Iterator[FrontProxy]:
    """The conftest's front, speaking TLS."""
    proxy = FrontProxy(address_of(server), tls=clinic_tls[1])
    yield proxy
    proxy.close()


@pytest.fixture
def window(
    windows: Windows, front: FrontProxy, clinic_tls: tuple[Path, ssl.SSLContext]
) -> MainWindow:
    windows.keys.save(front.url, TEST_API_KEY)
    settings = windows.settings(front.url)
    settings.set("server_parallel", 2)
    settings.set("server_ca_file", str(clinic_tls[0]))
    return windows.loaded(settings)


def test_two_conversations_are_answered_by_the_server_at_once(
    qtbot: QtBot, window: MainWindow, front: FrontProxy
) -> None:
    session = window.session
    assert session.loaded_model is not None and session.loaded_model.engine == REMOTE
    assert session.loaded_model.slots == 2
    order: list[int] = []
    session.answer_text.connect(lambda request, _piece: order.append(request))
    before = front.requests
    first = ask_in_new_conversation(
        window, LONG, "Write a story about a nurse in a small hospital."
    )
    second = ask_in_new_conversation(window, LONG, "Write a story about a doctor on a night shift.")
    third = ask_in_new_conversation(window, LONG, "Write a story about a pharmacist.")
    a, b, c = session.running_ids() + session.queued_ids()
    assert session.queued_ids() == [c], "two go to the server, the third waits here"
    assert window.status_line.answers_status.text() == "2 answering · 1 waiting"
    qtbot.waitUntil(lambda: order.count(a) >= 3 and order.count(b) >= 3, timeout=TIMEOUT_MS)
    assert front.requests == before + 2, "the waiting question has not left this PC"
    # Interleaved: the second answer's pieces came before the first one was done.
    assert order.index(b) < len(order) - 1 - order[::-1].index(a)

    window.open_conversation(second)
    with qtbot.waitSignal(session.answer_stopped, timeout=10_000) as stopped:
        window.stop_button.click()
    assert stopped.args[0] == b
    assert a in session.running_ids(), "the other conversation's answer goes on"
    qtbot.waitUntil(lambda: not session.is_busy and not session.queued_ids(), timeout=TIMEOUT_MS)
    text_1, status_1 = answer_of(window, first)
    text_2, status_2 = answer_of(window, second)
    text_3, status_3 = answer_of(window, third)
    assert status_1 is Status.COMPLETE and status_3 is Status.COMPLETE
    assert status_2 is Status.STOPPED and text_2
    assert stopped.args[1].tokens < LONG.max_tokens
    assert len({text_1, text_2, text_3}) == 3, "each answer stayed in its own conversation"
    assert front.requests == before + 3


def test_a_busy_server_makes_only_the_refused_answer_wait(
    qtbot: QtBot, window: MainWindow, front: FrontProxy
) -> None:
    session = window.session
    waits: list[int] = []
    session.answer_waiting.connect(lambda request, _attempt, _s: waits.append(request))
    said: list[str] = []
    window.status_line.messageChanged.connect(said.append)
    pieces: list[int] = []
    session.answer_text.connect(lambda request, _piece: pieces.append(request))
    first = ask_in_new_conversation(
        window, LONG, "Write a story about a nurse in a small hospital."
    )
    (a,) = session.running_ids()
    qtbot.waitUntil(lambda: a in pieces, timeout=TIMEOUT_MS)
    front.busy = 1  # the next question, written on the second slot, is refused once
    second = ask_in_new_conversation(window, LONG, "Write a story about a doctor on a night shift.")
    (b,) = [r for r in session.running_ids() if r != a]
    qtbot.waitUntil(lambda: waits == [b], timeout=TIMEOUT_MS)
    assert any("busy: asking again" in line for line in said)
    qtbot.waitUntil(lambda: b in pieces, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: not session.is_busy, timeout=TIMEOUT_MS)
    assert answer_of(window, first)[1] is Status.COMPLETE
    assert answer_of(window, second)[1] is Status.COMPLETE
    assert waits == [b], "the first answer never waited"

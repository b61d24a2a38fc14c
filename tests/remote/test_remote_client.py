"""The clinic-server client against a real llama.cpp server on 127.0.0.1 (the starter model),
behind a real TLS front: streamed answers, stop, a wrong key, TLS with and without the
clinic's CA, a busy server, a stream cut mid-answer or gone silent, a question waiting its
turn in the server's queue, and addresses that are refused."""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import xllamacpp
from certificates import make_certificates
from llama_server import TEST_API_KEY, FrontProxy, address_of
from PySide6.QtCore import QCoreApplication

from clinichat.remote import client as client_module
from clinichat.remote.client import OpenAIClient, api_base, shown_url
from clinichat.remote.errors import Failure, RemoteError
from clinichat.remote.server import RemoteServer

KEY = TEST_API_KEY
pytestmark = pytest.mark.slow


@pytest.fixture
def upstream(server: xllamacpp.Server) -> tuple[str, int]:
    return address_of(server)


@pytest.fixture
def tls_front(upstream: tuple[str, int], tmp_path: Path) -> Iterator[tuple[FrontProxy, Path]]:
    ca_pem, cert_file, key_file = make_certificates(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    ca_file = tmp_path / "clinic-ca.pem"
    ca_file.write_bytes(ca_pem)
    proxy = FrontProxy(upstream, tls=context)
    yield proxy, ca_file
    proxy.close()


def _question(text: str = "Name three symptoms of flu.", tokens: int = 40) -> dict[str, object]:
    return {
        "model": "starter",
        "messages": [{"role": "user", "content": text}],
        "max_tokens": tokens,
        "temperature": 0,
    }


def test_an_answer_streams_in_pieces(qapp: QCoreApplication, server: xllamacpp.Server) -> None:
    client = OpenAIClient(RemoteServer(server.listening_address, api_key=KEY))
    assert client.models(), "the real server lists its model"
    pieces: list[str] = []
    answer = client.chat(_question(), pieces.append, threading.Event())
    assert len(pieces) > 5 and "".join(pieces) == answer.text, "streamed, not at the end"
    assert (answer.finish_reason in ("stop", "length") and answer.tokens == 40) or answer.tokens
    assert answer.prompt_tokens and answer.first_token_s is not None


def test_stop_closes_the_stream_at_once(qapp: QCoreApplication, server: xllamacpp.Server) -> None:
    client = OpenAIClient(RemoteServer(server.listening_address, api_key=KEY))
    stop = threading.Event()
    pieces: list[str] = []

    def take(piece: str) -> None:
        pieces.append(piece)
        if len(pieces) == 3:
            stop.set()

    answer = client.chat(_question("Write a long story about a hospital.", 900), take, stop)
    assert answer.finish_reason == "", "stopped, not finished"
    assert answer.tokens < 100, "of 900 asked for: the stream closed, not read to its end"
    assert answer.text.startswith("".join(pieces[:3]))


def test_a_wrong_key_is_refused_in_plain_words(
    qapp: QCoreApplication, server: xllamacpp.Server
) -> None:
    for key in ("wrong-key", ""):
        with pytest.raises(RemoteError) as refused:
            OpenAIClient(RemoteServer(server.listening_address, api_key=key)).models()
        assert refused.value.failure is Failure.ACCESS
        assert "HTTP 401" in str(refused.value) and "key" in str(refused.value)


def test_tls_needs_the_clinics_ca(
    qapp: QCoreApplication, tls_front: tuple[FrontProxy, Path]
) -> None:
    proxy, ca_file = tls_front
    with pytest.raises(RemoteError) as unverified:
        OpenAIClient(RemoteServer(proxy.url, api_key=KEY)).models()
    assert unverified.value.failure is Failure.TLS, "an unknown CA: nothing is sent"
    assert proxy.requests == 0
    client = OpenAIClient(RemoteServer(proxy.url, api_key=KEY, ca_file=ca_file))
    answer = client.chat(_question(tokens=12), lambda _piece: None, threading.Event())
    assert answer.text and proxy.requests == 1


def test_a_busy_server_is_asked_again_visibly(qapp: QCoreApplication, front: FrontProxy) -> None:
    front.busy = 2
    waits: list[tuple[int, float]] = []
    client = OpenAIClient(RemoteServer(front.url, api_key=KEY))
    answer = client.chat(_question(tokens=8), lambda _p: None, threading.Event(),
                         on_wait=lambda attempt, s: waits.append((attempt, s)))  # fmt: skip
    assert waits == [(1, 1.0), (2, 1.0)], "Retry-After: 1 honoured, each wait reported"
    assert answer.text and front.requests == 3


def test_stop_ends_the_wait_for_a_busy_server(qapp: QCoreApplication, front: FrontProxy) -> None:
    front.busy = 100
    stop = threading.Event()
    client = OpenAIClient(RemoteServer(front.url, api_key=KEY))
    answer = client.chat(_question(), lambda _p: None, stop, on_wait=lambda *_: stop.set())
    assert answer.finish_reason == "" and answer.text == "" and front.requests == 1


def test_a_stream_cut_mid_answer_keeps_what_arrived(
    qapp: QCoreApplication, front: FrontProxy
) -> None:
    front.cut_after = 1500  # the head and a few chunks of the real stream
    pieces: list[str] = []
    client = OpenAIClient(RemoteServer(front.url, api_key=KEY))
    with pytest.raises(RemoteError) as cut:
        client.chat(_question(tokens=200), pieces.append, threading.Event())
    assert cut.value.failure is Failure.CUT and "what arrived is kept" in str(cut.value)
    assert pieces, "the pieces before the cut were delivered"


def test_an_answer_may_wait_its_turn_longer_than_a_stream_may_stall(
    qapp: QCoreApplication,
    front: FrontProxy,
    upstream: tuple[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The server has one slot and is writing another client's long answer: ours hears
    nothing until its turn, longer than a silence mid-stream may last, and still comes."""
    first_byte, _stall = client_module.ANSWER_WAIT_S
    monkeypatch.setattr(client_module, "ANSWER_WAIT_S", (first_byte, 3.0))
    other = threading.Thread(target=_long_answer, args=(upstream,))
    other.start()
    time.sleep(0.3)  # the other question holds the slot
    began = time.perf_counter()
    client = OpenAIClient(RemoteServer(front.url, api_key=KEY))
    answer = client.chat(_question(tokens=8), lambda _p: None, threading.Event())
    other.join()
    assert answer.first_token_s is not None and answer.first_token_s > 3.0, "it waited"
    assert answer.text and time.perf_counter() - began > 3.0


def test_a_stream_that_goes_silent_times_out_and_says_so(
    qapp: QCoreApplication, front: FrontProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(client_module, "ANSWER_WAIT_S", (60.0, 1.0))
    front.stall_after = 1500  # the head and a few chunks, then nothing, connection open
    pieces: list[str] = []
    client = OpenAIClient(RemoteServer(front.url, api_key=KEY))
    with pytest.raises(RemoteError) as stalled:
        client.chat(_question(tokens=200), pieces.append, threading.Event())
    assert stalled.value.failure is Failure.TIMEOUT and "within 1 seconds" in str(stalled.value)
    assert pieces, "the pieces before the silence were delivered"


def test_a_connection_closed_before_any_reply_is_tried_once_more(
    qapp: QCoreApplication, front: FrontProxy
) -> None:
    """What a kept-alive connection the server has just dropped looks like: tried again;
    a server that keeps closing is unreachable, not asked without end."""
    client = OpenAIClient(RemoteServer(front.url, api_key=KEY))
    front.drop = 1
    answer = client.chat(_question(tokens=8), lambda _p: None, threading.Event())
    assert answer.text and front.requests == 2
    front.drop = 2
    with pytest.raises(RemoteError) as closed:
        client.chat(_question(tokens=8), lambda _p: None, threading.Event())
    assert closed.value.failure is Failure.UNREACHABLE and front.requests == 4


def test_an_unreachable_server_says_so(qapp: QCoreApplication) -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()  # nothing listens there now
    with pytest.raises(RemoteError) as unreachable:
        OpenAIClient(RemoteServer(f"http://127.0.0.1:{port}")).models()
    assert unreachable.value.failure is Failure.UNREACHABLE
    assert f"127.0.0.1:{port}" in str(unreachable.value)


@pytest.mark.parametrize(
    "url",
    [
        "http://10.1.2.3:8080",  # plain http off this computer
        "http://llm.clinic.example",
        "ftp://127.0.0.1/",
        "https://user:secret@llm.clinic.example",  # credentials in the address
        "not a url",
        "https://",
    ],
)
def test_addresses_that_are_refused(url: str) -> None:
    with pytest.raises(RemoteError) as refused:
        api_base(url)
    assert refused.value.failure is Failure.REFUSED_ADDRESS


def test_the_address_as_it_is_shown() -> None:
    assert api_base("https://llm.clinic.example:8443").toString() == (
        "https://llm.clinic.example:8443/v1"
    )
    assert api_base("https://llm.clinic.example/v1/").toString() == "https://llm.clinic.example/v1"
    assert api_base("http://127.0.0.1:8080/api?x=1#y").toString() == "http://127.0.0.1:8080/api/v1"
    assert shown_url(RemoteServer("https://llm.clinic.example:8443/v1")) == (
        "https://llm.clinic.example:8443"
    )


def _long_answer(address: tuple[str, int]) -> None:
    """Another clinician's question, 600 tokens, straight to the server's only slot."""
    connection = http.client.HTTPConnection(*address, timeout=120)
    body = json.dumps({**_question(tokens=600), "stream": True, "ignore_eos": True})
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {KEY}"}
    connection.request("POST", "/v1/chat/completions", body, headers)
    connection.getresponse().read()
    connection.close()

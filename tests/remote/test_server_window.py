"""The clinic's server in the real window, against a real llama.cpp server on 127.0.0.1 (the
starter model) behind a real front (TLS, 503s, a cut stream): streamed answers with the
indicator on, the first-use confirmation, stop, a busy server, a cut answer kept and marked,
a wrong key, TLS with and without the clinic's CA, the administrator's policy, and the
dialog that sets it all up with the key in the keychain, not the settings file."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest
import xllamacpp
from certificates import make_certificates
from llama_server import TEST_API_KEY, FrontProxy, address_of
from memory_keyring import MemoryKeyring
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot
from server_windows import TIMEOUT_MS, Windows, answer_box, ask, last_answer

from clinichat.config.settings import Settings
from clinichat.history.store import Status
from clinichat.llm.engines.base import REMOTE, GenerationParams
from clinichat.remote.policy import Policy
from clinichat.remote.server_key import SERVICE
from clinichat.ui import message_box
from clinichat.ui.model_bar import SERVER_ITEM

pytestmark = pytest.mark.slow


def test_questions_stream_from_the_server_while_the_indicator_says_where(
    qtbot: QtBot, windows: Windows, front: FrontProxy
) -> None:
    windows.keys.save(front.url, TEST_API_KEY)
    window = windows.loaded(windows.settings(front.url))
    bar = window.model_bar
    assert window.session.loaded_model is not None
    assert window.session.loaded_model.engine == REMOTE
    assert bar.combo.currentData() == SERVER_ITEM
    assert window.server_banner.isVisible()
    assert front.url in window.server_banner.text() and "clinic's server" in (
        window.server_banner.text()
    )
    assert not bar.threads_slider.isEnabled()
    assert front.url in window.status_line.model_status.text()
    pieces: list[str] = []
    window.controller.message_text.connect(lambda _id, piece: pieces.append(piece))
    before = front.requests
    with qtbot.waitSignal(window.session.answer_finished, timeout=TIMEOUT_MS) as done:
        ask(qtbot, window, "Name one symptom of flu.")
    text, status = last_answer(window)
    assert status is Status.COMPLETE and text == done.args[1].text.strip() and text
    assert len(pieces) >= 1 and "".join(pieces).strip() == text
    assert front.requests == before + 1


def test_a_start_behind_the_lock_connects_to_the_server_used_last(
    qtbot: QtBot, windows: Windows, front: FrontProxy
) -> None:
    """The app starts locked until the history opens: the server still connects (only the
    model list is asked for), as a local model loads, and no question leaves."""
    windows.keys.save(front.url, TEST_API_KEY)
    window = windows.loaded(windows.settings(front.url), locked=True)
    assert window.locked
    assert window.session.loaded_model is not None
    assert window.session.loaded_model.engine == REMOTE
    assert front.requests == 1 and window.server_banner.isVisible()


def test_the_first_use_needs_a_deliberate_confirmation(
    qtbot: QtBot, windows: Windows, front: FrontProxy
) -> None:
    windows.keys.save(front.url, TEST_API_KEY)
    settings = windows.settings(front.url, confirmed=False, use=False)
    window = windows.loaded(settings)
    bar = window.model_bar
    assert window.session.loaded_model is not None
    assert window.session.loaded_model.engine != REMOTE, "a local model starts"
    assert not window.server_banner.isVisible() and front.requests == 0
    server_row = bar.combo.findData(SERVER_ITEM)
    assert server_row > 0
    assert bar.combo.itemText(server_row) == "Clinic server: SmolLM2-135M-Instruct.Q4_1"

    refuse = answer_box(None)
    QTimer.singleShot(0, refuse)
    bar.combo.activated.emit(server_row)
    assert front.url in refuse.seen[0]  # type: ignore[attr-defined]
    assert "sent to" in refuse.seen[0]  # type: ignore[attr-defined]
    assert front.requests == 0 and settings.value("server_confirmed") is None
    assert bar.combo.currentData() != SERVER_ITEM and not window.server_banner.isVisible()

    agree = answer_box("Send questions to")
    QTimer.singleShot(0, agree)
    with qtbot.waitSignal(window.session.model_loaded, timeout=TIMEOUT_MS):
        bar.combo.activated.emit(server_row)
    assert settings.value("server_confirmed") == front.url
    assert window.session.loaded_model is not None
    assert window.session.loaded_model.engine == REMOTE and window.server_banner.isVisible()
    assert settings.value("use_server") is True
    # A second choice of the same server asks nothing again.
    local = bar.combo.findData(settings.default_model)
    with qtbot.waitSignal(window.session.model_loaded, timeout=TIMEOUT_MS):
        bar.combo.activated.emit(local)
    assert not window.server_banner.isVisible() and settings.value("use_server") is False
    with qtbot.waitSignal(window.session.model_loaded, timeout=TIMEOUT_MS):
        bar.combo.activated.emit(server_row)
    assert window.server_banner.isVisible()


def test_stop_ends_the_server_answer_at_once(
    qtbot: QtBot, windows: Windows, front: FrontProxy
) -> None:
    windows.keys.save(front.url, TEST_API_KEY)
    window = windows.loaded(windows.settings(front.url))
    long = GenerationParams(max_tokens=900, temperature=0.0, top_k=1, repeat_penalty=1.0)
    with qtbot.waitSignal(window.controller.message_text, timeout=TIMEOUT_MS):
        ask(qtbot, window, "Write a very long story about a hospital.", params=long)
    with qtbot.waitSignal(window.session.answer_stopped, timeout=10_000) as stopped:
        window.stop_button.click()
    assert stopped.args[1].tokens < 200
    text, status = last_answer(window)
    assert status is Status.STOPPED and text and text == stopped.args[1].text.strip()


def test_a_busy_server_is_waited_out_visibly(
    qtbot: QtBot, windows: Windows, front: FrontProxy
) -> None:
    windows.keys.save(front.url, TEST_API_KEY)
    window = windows.loaded(windows.settings(front.url))
    said: list[str] = []
    window.status_line.messageChanged.connect(said.append)
    front.busy = 2
    with qtbot.waitSignal(window.session.answer_finished, timeout=TIMEOUT_MS):
        ask(qtbot, window, "Say hello.")
    waits = [line for line in said if "busy" in line]
    assert len(waits) == 2 and "attempt 2 of 6" in waits[0] and "attempt 3 of 6" in waits[1]
    assert last_answer(window)[1] is Status.COMPLETE


def test_a_cut_stream_keeps_the_partial_answer_and_marks_it(
    qtbot: QtBot, windows: Windows, front: FrontProxy
) -> None:
    windows.keys.save(front.url, TEST_API_KEY)
    window = windows.loaded(windows.settings(front.url))
    front.cut_after = 1500  # the headers and a few chunks
    long = GenerationParams(max_tokens=200, temperature=0.0, top_k=1)
    with qtbot.waitSignal(window.session.answer_failed, timeout=TIMEOUT_MS):
        ask(qtbot, window, "Write a long story about a hospital.", params=long)
    text, status = last_answer(window)
    assert status is Status.FAILED and text, "what arrived is kept, marked as failed"
    assert "cut" in window.error_banner.text() and "kept" in window.error_banner.text()
    assert window.input.isEnabled()


def test_a_wrong_key_says_so_and_a_local_model_takes_over(
    qtbot: QtBot, windows: Windows, front: FrontProxy
) -> None:
    windows.keys.save(front.url, "not-the-key")
    window = windows.open(windows.settings(front.url))
    with qtbot.waitSignal(window.session.model_load_failed, timeout=TIMEOUT_MS):
        pass
    assert "access key" in window.error_banner.text()
    assert not window.server_banner.isVisible()
    bar = window.model_bar
    with qtbot.waitSignal(window.session.model_loaded, timeout=TIMEOUT_MS):
        bar.combo.activated.emit(0)  # the starter model on this computer
    assert window.session.loaded_model is not None
    assert window.session.loaded_model.engine != REMOTE


def test_tls_is_refused_without_the_clinic_ca_and_accepted_with_it(
    qtbot: QtBot, windows: Windows, server: xllamacpp.Server, tmp_path: Path
) -> None:
    ca_pem, cert_file, key_file = make_certificates(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    proxy = FrontProxy(address_of(server), tls=context)
    try:
        windows.keys.save(proxy.url, TEST_API_KEY)
        settings = windows.settings(proxy.url)
        window = windows.open(settings)
        with qtbot.waitSignal(window.session.model_load_failed, timeout=TIMEOUT_MS):
            pass
        assert "could not be verified" in window.error_banner.text()
        assert proxy.requests == 0, "nothing was sent over the unverified connection"
        ca_file = tmp_path / "clinic-ca.pem"
        ca_file.write_bytes(ca_pem)
        settings.set("server_ca_file", str(ca_file))
        with qtbot.waitSignal(window.session.model_loaded, timeout=TIMEOUT_MS):
            window.server_flow.choose()
        with qtbot.waitSignal(window.session.answer_finished, timeout=TIMEOUT_MS):
            ask(qtbot, window, "Say hello.")
        assert last_answer(window)[1] is Status.COMPLETE and proxy.requests == 2
    finally:
        proxy.close()


def test_the_administrators_policy_forbids_the_server(
    qtbot: QtBot, windows: Windows, front: FrontProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even set up, confirmed and used last time: not listed, not reached, not set up."""
    windows.keys.save(front.url, TEST_API_KEY)
    window = windows.loaded(windows.settings(front.url), policy=Policy(allow_clinic_server=False))
    assert window.session.loaded_model is not None
    assert window.session.loaded_model.engine != REMOTE
    assert window.model_bar.combo.findData(SERVER_ITEM) == -1
    window.server_flow.choose()
    warned: list[str] = []
    monkeypatch.setattr(message_box, "warn", lambda _parent, _title, text: warned.append(text))
    window.commands.actions["clinic_server"].trigger()
    assert window.server_flow.dialog is None and "administrator" in warned[0]
    with qtbot.waitSignal(window.session.answer_finished, timeout=TIMEOUT_MS):
        ask(qtbot, window, "Say hello.")
    assert front.requests == 0


def test_the_administrators_policy_fixes_the_only_server(
    qtbot: QtBot, windows: Windows, front: FrontProxy
) -> None:
    """IT's server replaces whatever this PC's settings name, and the dialog shows it
    without letting anyone change it; the clinician still confirms before the first
    question, and the key is still theirs."""
    windows.keys.save(front.url, TEST_API_KEY)
    settings = windows.settings("https://elsewhere.example", confirmed=False, use=False)
    pinned = {"server_url": front.url, "server_model": windows.model_id, "server_context": 1024}
    window = windows.loaded(settings, policy=Policy(server=pinned))
    bar = window.model_bar
    assert window.session.loaded_model is not None
    assert window.session.loaded_model.engine != REMOTE
    window.commands.actions["clinic_server"].trigger()
    dialog = window.server_flow.dialog
    assert dialog is not None
    assert dialog.address.text() == front.url and not dialog.address.isEnabled()
    assert dialog.model.currentText() == windows.model_id and not dialog.model.isEnabled()
    assert dialog.key.isEnabled() and dialog.ca_file.isEnabled() and dialog.parallel.isEnabled()
    assert not dialog.remove_button.isVisible() and "administrator" in dialog.intro.text()
    dialog.reject()
    agree = answer_box("Send questions to")
    QTimer.singleShot(0, agree)
    with qtbot.waitSignal(window.session.model_loaded, timeout=TIMEOUT_MS):
        bar.combo.activated.emit(bar.combo.findData(SERVER_ITEM))
    assert front.url in agree.seen[0]  # type: ignore[attr-defined]
    assert window.session.loaded_model is not None
    assert window.session.loaded_model.engine == REMOTE
    assert window.server_banner.isVisible() and front.url in window.server_banner.text()
    before = front.requests
    with qtbot.waitSignal(window.session.answer_finished, timeout=TIMEOUT_MS):
        ask(qtbot, window, "Say hello.")
    assert last_answer(window)[1] is Status.COMPLETE and front.requests == before + 1
    assert settings.value("server_url") == "https://elsewhere.example", "IT's is not saved"


def test_the_dialog_sets_up_the_server_with_the_key_in_the_keychain(
    qtbot: QtBot, windows: Windows, front: FrontProxy, memory_keyring: MemoryKeyring
) -> None:
    settings = Settings(windows.tmp_path / "config")
    settings.set("threads", 2)
    window = windows.loaded(settings)
    window.commands.actions["clinic_server"].trigger()
    dialog = window.server_flow.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.address.setText("http://192.0.2.1:8080")  # plain http beyond this computer
    dialog.check()
    assert "https://" in dialog.outcome.text() and front.requests == 0
    dialog.address.setText(front.url)
    dialog.key.setText(TEST_API_KEY)
    dialog.check()
    qtbot.waitUntil(lambda: dialog.model.count() > 0, timeout=TIMEOUT_MS)
    assert dialog.model.currentText() == windows.model_id
    assert "1 model" in dialog.outcome.text()
    assert dialog.parallel.value() == 4  # the default: a server batches answers
    dialog.parallel.setValue(2)
    agree = answer_box("Send questions to")
    QTimer.singleShot(0, agree)
    with qtbot.waitSignal(window.session.model_loaded, timeout=TIMEOUT_MS):
        dialog.use_button.click()
    assert window.session.loaded_model is not None
    assert window.session.loaded_model.engine == REMOTE
    assert window.session.loaded_model.slots == 2 and settings.value("server_parallel") == 2
    assert memory_keyring.entries[(SERVICE, front.url)] == TEST_API_KEY
    stored = (windows.tmp_path / "config" / "settings.json").read_text()
    assert front.url in stored and TEST_API_KEY not in stored
    with qtbot.waitSignal(window.session.answer_finished, timeout=TIMEOUT_MS):
        ask(qtbot, window, "Say hello.")
    assert last_answer(window)[1] is Status.COMPLETE

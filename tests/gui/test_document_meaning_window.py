"""Search by meaning in the real window: an embedding model in the models folder (the real
all-MiniLM-L6-v2) gives the library's passages their vectors in the background, and a
question none of whose words is in the documents still gets the right passage, answered by
the real starter model."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from crafted_gguf import duplicate_token
from document_files import ASTHMA_SECTIONS, PROTOCOL_PAGES, write_docx, write_pdf
from pytestqt.qtbot import QtBot
from windows import starter_window

from clinichat.documents.citations import ConversationDocuments
from clinichat.documents.library import DocumentLibrary
from clinichat.history.database import open_encrypted
from clinichat.history.sqlcipher_store import EncryptedStore
from clinichat.history.store import MemoryStore, Status

pytestmark = pytest.mark.slow

BY_MEANING = "breathing crisis that keeps getting worse despite the inhalers"
TIMEOUT_MS = 120_000


def test_a_question_finds_its_passage_by_meaning(
    qtbot: QtBot, tmp_path: Path, starter_model: Path, minilm_file: Path
) -> None:
    window = starter_window(qtbot, tmp_path, starter_model)
    shutil.copy2(minilm_file, tmp_path / "models" / minilm_file.name)
    assert [m.filename for m in window.registry.installed()] == [starter_model.name]
    window.settings.set_model_values(starter_model.name, {"temperature": 0.0, "max_tokens": 24})
    folder = tmp_path / "docs"
    folder.mkdir()
    write_pdf(folder / "profilaxis.pdf", PROTOCOL_PAGES)
    write_docx(folder / "asthma.docx", ASTHMA_SECTIONS)
    store = EncryptedStore(open_encrypted(tmp_path / "history.db", os.urandom(32)))
    library = DocumentLibrary(store.connection)
    library.add([folder], "Clinic")
    assert library.search(BY_MEANING) == [], "its words alone find nothing"
    meaning = window.document_search.meaning
    with qtbot.waitSignal(meaning.progress, timeout=TIMEOUT_MS):
        # Unlocking hands the library over: the model loads and the passages are embedded.
        window.controller.set_store(store, library, ConversationDocuments(store.connection))
    passages = sum(row.passages for row in library.documents())
    qtbot.waitUntil(
        lambda: library.vectors.coverage(minilm_file.name) == (passages, passages),
        timeout=TIMEOUT_MS,
    )
    qtbot.waitUntil(
        lambda: (
            window.status_line.currentMessage()
            == f"Search by meaning is ready for all {passages} passages."
        ),
        timeout=10_000,
    )

    window.new_conversation()
    conversation_id = window.current_conversation
    assert conversation_id is not None
    assert window.controller.citations is not None
    window.controller.citations.choose(conversation_id, ["Clinic"], False)
    with qtbot.waitSignal(window.controller.message_sources, timeout=TIMEOUT_MS) as cited:
        window.input.setPlainText(BY_MEANING)
        window.send()
    _message_id, sources = cited.args
    assert sources[0].document == "asthma.docx"
    assert not window.notice.isVisible() or "Nothing in the documents" not in (window.notice.text())
    [question, answer] = window.controller.store.messages(conversation_id)
    assert question.text == BY_MEANING and answer.status is Status.COMPLETE


def test_a_search_model_is_never_offered_to_chat_and_the_lock_stops_its_work(
    qtbot: QtBot, tmp_path: Path, starter_model: Path, minilm_file: Path
) -> None:
    window = starter_window(qtbot, tmp_path, starter_model)
    shutil.copy2(minilm_file, tmp_path / "models" / minilm_file.name)
    window.models.refresh()
    offered = [window.model_bar.combo.itemData(i) for i in range(window.model_bar.combo.count())]
    assert starter_model.name in offered and minilm_file.name not in offered
    store = EncryptedStore(open_encrypted(tmp_path / "history.db", os.urandom(32)))
    library = DocumentLibrary(store.connection)
    folder = tmp_path / "docs"
    folder.mkdir()
    write_pdf(folder / "protocolos.pdf", PROTOCOL_PAGES * 12)  # 36 pages: several batches
    library.add([folder])
    citations = ConversationDocuments(store.connection)
    meaning = window.document_search.meaning
    window.controller.set_store(store, library, citations)
    qtbot.waitUntil(lambda: meaning.ready, timeout=TIMEOUT_MS)
    window.controller.set_store(MemoryStore())  # locked: the library is handed back
    qtbot.wait(3000)
    done, total = library.vectors.coverage(minilm_file.name)
    assert 0 <= done < total, "nothing more is embedded once locked"
    window.controller.set_store(store, library, citations)  # unlocked: it goes on
    qtbot.waitUntil(
        lambda: library.vectors.coverage(minilm_file.name) == (total, total), timeout=TIMEOUT_MS
    )
    window.controller.set_store(MemoryStore())
    store.close()


def test_no_new_batch_starts_while_an_answer_is_written(
    qtbot: QtBot, tmp_path: Path, starter_model: Path, minilm_file: Path
) -> None:
    window = starter_window(qtbot, tmp_path, starter_model)
    shutil.copy2(minilm_file, tmp_path / "models" / minilm_file.name)
    window.settings.set_model_values(starter_model.name, {"temperature": 0.0, "max_tokens": 200})
    store = EncryptedStore(open_encrypted(tmp_path / "history.db", os.urandom(32)))
    library = DocumentLibrary(store.connection)
    folder = tmp_path / "docs"
    folder.mkdir()
    write_pdf(folder / "protocolos.pdf", PROTOCOL_PAGES * 20)  # 60 pages
    library.add([folder])
    meaning = window.document_search.meaning
    window.controller.set_store(store, library, ConversationDocuments(store.connection))
    qtbot.waitUntil(lambda: meaning.ready, timeout=TIMEOUT_MS)
    window.new_conversation()
    with qtbot.waitSignal(window.session.answer_started, timeout=TIMEOUT_MS):
        window.input.setPlainText("Write a long letter about fever.")
        window.send()
    assert meaning.held
    at_start = library.vectors.count(minilm_file.name)
    with qtbot.waitSignal(window.session.answer_finished, timeout=TIMEOUT_MS):
        pass
    during = library.vectors.count(minilm_file.name) - at_start
    assert during <= 8, "at most the batch already under way when the answer began"
    qtbot.waitUntil(lambda: not meaning.held, timeout=5_000)
    done, total = library.vectors.coverage(minilm_file.name)
    assert done < total, "work was left for after the answer"
    qtbot.waitUntil(
        lambda: library.vectors.coverage(minilm_file.name) == (total, total), timeout=TIMEOUT_MS
    )
    window.controller.set_store(MemoryStore())
    store.close()


def test_a_search_model_that_aborts_llama_cpp_is_refused_not_fatal(
    qtbot: QtBot, tmp_path: Path, starter_model: Path, minilm_file: Path
) -> None:
    """Copied into the folder by hand, so never probed at import: it is loaded without asking
    at each unlock, so it is test-loaded in a child first and the window says why not."""
    window = starter_window(qtbot, tmp_path, starter_model)
    duplicate_token(minilm_file, tmp_path / "models" / minilm_file.name)
    store = EncryptedStore(open_encrypted(tmp_path / "history.db", os.urandom(32)))
    meaning = window.document_search.meaning
    with qtbot.waitSignal(meaning.failed, timeout=TIMEOUT_MS) as failed:
        window.controller.set_store(
            store, DocumentLibrary(store.connection), ConversationDocuments(store.connection)
        )
    assert minilm_file.name in failed.args[0]
    assert not meaning.ready
    assert "document search model cannot be used" in window.error_banner.text()
    window.controller.set_store(MemoryStore())
    store.close()

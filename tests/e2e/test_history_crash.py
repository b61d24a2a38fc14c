"""Kill a process while it streams an answer into the encrypted history; nothing is lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clinichat.history.database import open_encrypted
from clinichat.history.sqlcipher_store import EncryptedStore
from clinichat.history.store import Role, Status

SCRIPT = Path(__file__).with_name("history_crash_script.py")


@pytest.mark.slow
def test_sigkill_while_streaming_keeps_the_partial_answer(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    key = os.urandom(32)
    child = subprocess.Popen(
        [sys.executable, str(SCRIPT), str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "CLINICHAT_TEST_HISTORY_KEY": key.hex()},
    )
    try:
        assert child.stdout is not None
        deadline = time.monotonic() + 60
        ids: tuple[int, int] | None = None
        line = ""
        while line != "streaming" and time.monotonic() < deadline:
            line = child.stdout.readline().strip()
            if line.startswith("ids "):
                _, first, second = line.split()
                ids = (int(first), int(second))
            if not line and child.poll() is not None:
                break
        assert line == "streaming", child.stderr.read() if child.stderr else ""
        assert ids is not None
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        if child.stdout:
            child.stdout.close()
        if child.stderr:
            child.stderr.close()
    assert child.returncode == -signal.SIGKILL

    # The process died mid-stream: a WAL file is left behind, never checkpointed.
    assert (tmp_path / "history.db-wal").exists()
    store = EncryptedStore(open_encrypted(path, key))
    try:
        assert store.recovered == 1
        conversation_id, message_id = ids
        assert [c.title for c in store.conversations()] == ["Crash test"]
        question, answer = store.messages(conversation_id)
        assert (question.role, question.status) == (Role.USER, Status.COMPLETE)
        assert (answer.id, answer.role, answer.status) == (
            message_id,
            Role.ASSISTANT,
            Status.INTERRUPTED,
        )
        assert answer.text.startswith("the child has a fever")
        assert len(answer.text.split()) >= 15  # 2 s at 25 words a second, less one 1 s batch
        assert [h.message_id for h in store.search("paracetamol")] == [message_id]
    finally:
        store.close()

    check = open_encrypted(path, key)
    try:
        assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert check.execute("PRAGMA cipher_integrity_check").fetchall() == []
    finally:
        check.close()

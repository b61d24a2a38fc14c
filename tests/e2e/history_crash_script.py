"""Child process for test_history_crash.py: streams an answer into the store until killed.

Usage: history_crash_script.py DATABASE; the key (hex) comes in CLINICHAT_TEST_HISTORY_KEY so it
never shows in a process listing. Prints "ids CONVERSATION MESSAGE", then "streaming" once
about two seconds of updates (so at least one batch) have been written, then keeps going.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from clinichat.history.database import open_encrypted
from clinichat.history.sqlcipher_store import EncryptedStore
from clinichat.history.store import Role, Status

WORDS = [
    "the",
    "child",
    "has",
    "a",
    "fever",
    "of",
    "thirty",
    "nine",
    "degrees",
    "give",
    "paracetamol",
    "and",
    "fluids",
]


def main() -> None:
    key = bytes.fromhex(os.environ["CLINICHAT_TEST_HISTORY_KEY"])
    store = EncryptedStore(open_encrypted(Path(sys.argv[1]), key))  # 1 s batches
    conversation = store.create("Crash test")
    store.add_message(conversation.id, Role.USER, "What should I do about the fever?")
    answer = store.add_message(conversation.id, Role.ASSISTANT, "", status=Status.QUEUED)
    store.update_message(answer.id, status=Status.STREAMING)
    print("ids", conversation.id, answer.id, flush=True)
    text = ""
    started = time.monotonic()
    announced = False
    index = 0
    while True:  # until SIGKILL
        text += WORDS[index % len(WORDS)] + " "
        index += 1
        store.update_message(answer.id, text=text)
        if not announced and time.monotonic() - started >= 2.0:
            print("streaming", flush=True)
            announced = True
        time.sleep(0.04)  # about 25 updates a second, as the chat controller does


if __name__ == "__main__":
    main()

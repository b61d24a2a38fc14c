"""Child process for test_load_crash.py: load a model through the app's own session path.

Usage: load_crash_script.py BASEDIR MODEL. Sets up logging and the native crash log as the
window does, then asks a real ChatSession (worker on its QThread, load guard in
BASEDIR/data) to load MODEL. Prints "loaded" or "failed" and exits 0; a model that aborts
llama.cpp kills the process first.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer

from clinichat import crash, logging_setup
from clinichat.llm.engines.base import ModelSpec
from clinichat.llm.session import ChatSession
from clinichat.models.load_guard import LoadGuard
from clinichat.paths import AppPaths


def main() -> int:
    paths = AppPaths.under(Path(sys.argv[1])).ensure()
    model = Path(sys.argv[2])
    app = QCoreApplication(sys.argv[:1])
    logging_setup.configure(paths.logs, "warning")
    crash.install(paths.logs, show_dialog=False)
    crash.enable_native_crash_log(paths.logs)
    session = ChatSession(load_guard=LoadGuard(paths.data))
    outcome: list[str] = []

    def done(word: str) -> None:
        outcome.append(word)
        app.quit()

    # The session emits these on the main thread (from its own slots), so plain callables do.
    session.model_loaded.connect(lambda _info: done("loaded"))
    session.model_load_failed.connect(lambda _error: done("failed"))
    QTimer.singleShot(120_000, lambda: done("timeout"))
    session.load_model(ModelSpec(model, "%1", n_ctx=256), model.name, 1)
    app.exec()
    session.shutdown()
    print(outcome[0] if outcome else "none", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

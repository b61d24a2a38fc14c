"""Renders a hostile answer as the app does (view, copy, PDF export), for strace to watch.

Run by test_hostile_rendering.py as `python hostile_rendering_script.py DIR`: every name the
answer points at contains HOSTILE and lies under DIR (or is relative to the working folder,
which the test sets to DIR), so the trace tells whether any of them was touched.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# A high device pixel ratio makes Qt look for name@2x files too: cover that path as well.
os.environ["QT_SCALE_FACTOR"] = "2"

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from clinichat.history.export import write_pdf
from clinichat.history.store import Message, Role, Status
from clinichat.safe_markdown import plain_text
from clinichat.ui.chat_view import ChatView


def hostile_answer(folder: Path) -> str:
    png = folder / "HOSTILE_abs.png"
    return "\n\n".join(
        [
            "Dear <GP name>, I am writing about <patient name>. Take 2 <tabs> daily.",
            f"![scan](file://{folder}/HOSTILE_url.png) ![x]({png}) ![rel](HOSTILE_rel.png)",
            "![data](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlE"
            "QVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==)",
            "![share](//HOSTILE-host/share/x.png) ![](HOSTILE_noalt.png)",
            f'<img src="{folder}/HOSTILE_html.png"> <img src="HOSTILE_htmlrel.png">',
            f"| a | ![t]({folder}/HOSTILE_table.png) |\n|---|---|\n| 1 | 2 |",
        ]
    )


def main() -> int:
    folder = Path(sys.argv[1])
    app = QApplication([])
    answer = hostile_answer(folder)
    view = ChatView()
    view.resize(700, 900)
    view.add_message(Message(1, 1, Role.USER, "Write the referral."))
    view.add_message(Message(2, 1, Role.ASSISTANT, "", Status.STREAMING))
    view.show()
    for piece in (answer[: len(answer) // 2], answer[len(answer) // 2 :]):
        view.append_text(2, piece)
        app.processEvents()
    view.update_message(Message(2, 1, Role.ASSISTANT, answer, Status.COMPLETE))
    view.grab().save(str(folder / "view.png"))
    QGuiApplication.clipboard().setText(plain_text(answer))
    write_pdf(folder / "export.pdf", answer)
    print(plain_text(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main())

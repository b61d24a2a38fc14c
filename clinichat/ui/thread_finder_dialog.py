"""'Find best thread count': progress while the model is measured, then a small chart.

The chart is the source study's experiment (speed against threads) redone on this machine
with the clinician's own model; the slider then moves to the fewest threads within 5% of
the fastest.

It takes a while (one answer per thread count), so the clinician is first asked, with the
expected time in plain words and how sure that time is (`ask_to_start`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QLocale, QRectF, Qt, Signal, Slot
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from clinichat.llm.thread_estimate import Estimate
from clinichat.llm.thread_finder import ThreadResult
from clinichat.ui import message_box
from clinichat.ui.retranslating import Retranslating
from clinichat.ui.title_room import make_room_for_title

BAR = QColor("#9fbbd9")
BEST_BAR = QColor("#0b5cad")
TEXT = QColor("#1f2328")


def duration_text(seconds: float) -> str:
    """A duration as a person would say it: "about 40 seconds", "about 3 minutes".

    Rounded (never below 10 seconds) because the time is an estimate, not a promise.
    """
    locale = QLocale()
    if seconds < 55:
        rounded = max(10, 10 * round(seconds / 10))
        return QCoreApplication.translate("ThreadFinderDialog", "about %1 seconds").replace(
            "%1", locale.toString(rounded)
        )
    minutes = round(seconds / 60)
    if minutes <= 1:
        return QCoreApplication.translate("ThreadFinderDialog", "about a minute")
    if minutes < 90:
        return QCoreApplication.translate("ThreadFinderDialog", "about %1 minutes").replace(
            "%1", locale.toString(minutes)
        )
    return QCoreApplication.translate("ThreadFinderDialog", "about %1 hours").replace(
        "%1", locale.toString(round(minutes / 60))
    )


def ask_to_start(parent: QWidget, counts: Sequence[int], model: str, estimate: Estimate) -> bool:
    """Say what the measurement does and how long it takes; True only when Yes is chosen."""
    how_sure = (
        QCoreApplication.translate(
            "ThreadFinderDialog",
            "The time comes from the last measurement of this model on this computer.",
        )
        if estimate.measured
        else QCoreApplication.translate(
            "ThreadFinderDialog",
            "This is a rough estimate from the model's size: this model has not been measured"
            " on this computer yet, and it can take noticeably longer or shorter.",
        )
    )
    text = (
        QCoreApplication.translate(
            "ThreadFinderDialog",
            "To find the fastest setting, ClinicChat answers the same short question once with"
            " each number of threads from 1 to %1, using %2. This takes %3. Questions wait"
            " until it is done; you can cancel it at any time.",
        )
        .replace("%1", QLocale().toString(max(counts)))
        .replace("%3", duration_text(estimate.seconds))
        .replace("%2", model)  # last: a model name is data and may contain "%3"
        + "\n\n"
        + how_sure
        + "\n\n"
        + QCoreApplication.translate("ThreadFinderDialog", "Start the measurement now?")
    )
    return message_box.ask(
        parent, QCoreApplication.translate("ThreadFinderDialog", "Find best thread count"), text
    )


class ThreadChart(Retranslating, QWidget):
    """Bars of tokens per second for each thread count; the chosen count stands out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.results: list[ThreadResult] = []
        self.best: int | None = None
        self.setMinimumSize(360, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.retranslate()

    def retranslate(self) -> None:
        """Set the chart's accessible name; the axis caption is painted in the language."""
        self.setAccessibleName(self.tr("Tokens per second for each thread count"))

    def show_results(self, results: Sequence[ThreadResult], best: int | None) -> None:
        self.results = list(results)
        self.best = best
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        if not self.results:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        line = metrics.height()
        area = QRectF(8, line + 8, self.width() - 16, self.height() - 3 * line - 16)
        top = max(r.tokens_per_second for r in self.results) or 1.0
        slot = area.width() / len(self.results)
        for index, result in enumerate(self.results):
            height = area.height() * result.tokens_per_second / top
            bar = QRectF(
                area.left() + index * slot + slot * 0.2,
                area.bottom() - height,
                slot * 0.6,
                height,
            )
            painter.fillRect(bar, BEST_BAR if result.threads == self.best else BAR)
            painter.setPen(TEXT)
            value = f"{result.tokens_per_second:.0f}"
            painter.drawText(
                QRectF(bar.left(), bar.top() - line - 2, bar.width(), line),
                Qt.AlignmentFlag.AlignCenter,
                value,
            )
            painter.drawText(
                QRectF(bar.left(), area.bottom() + 4, bar.width(), line),
                Qt.AlignmentFlag.AlignCenter,
                str(result.threads),
            )
        painter.drawText(
            QRectF(0, self.height() - line - 2, self.width(), line),
            Qt.AlignmentFlag.AlignCenter,
            self.tr("threads (bars: tokens per second)"),
        )
        painter.end()


class ThreadFinderDialog(Retranslating, QDialog):
    """Shows the measurement's progress, lets the clinician cancel, then the result."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The status line as a function of the measurement's state, so a language switch
        # can render it again.
        self._status: Callable[[], str] = lambda: self.tr(
            "Answering the same short question with each number of threads. This takes"
            " a little while; questions wait until it is done."
        )
        self._layout = layout = QVBoxLayout(self)
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.progress = QProgressBar(self)
        layout.addWidget(self.progress)
        self.chart = ThreadChart(self)
        self.chart.hide()
        layout.addWidget(self.chart, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.rejected.connect(self._cancel)
        layout.addWidget(self.buttons)
        self._finished = False
        self.retranslate()

    def retranslate(self) -> None:
        """Set every text in the current language (at start and on a language switch)."""
        self.setWindowTitle(self.tr("Find best thread count"))
        make_room_for_title(self)
        self._set_status(self._status)

    def _set_status(self, text: Callable[[], str]) -> None:
        self._status = text
        self.status.setText(text())
        self._grow()

    def _grow(self) -> None:
        """Grow to fit what is shown now (a longer status, the chart); never shrink, so the
        dialog does not jump under the pointer."""
        layout = self._layout
        layout.activate()
        needed = layout.totalHeightForWidth(self.width())
        height = max(self.height(), needed if needed > 0 else layout.sizeHint().height())
        self.resize(max(self.width(), layout.sizeHint().width()), height)

    @Slot(int, int)
    def show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def show_results(self, results: Sequence[ThreadResult], best: int | None) -> None:
        self._finished = True
        self.progress.hide()
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        if best is None:
            self._set_status(lambda: self.tr("The measurement was cancelled; nothing was changed."))
            return
        measured = list(results)
        self._set_status(
            lambda: (
                self.tr(
                    "With %n thread(s) the speed is within 5% of the fastest, so ClinicChat now"
                    " uses %n.",
                    "",
                    best,
                )
                + "\n"
                + "  ".join(
                    self.tr("%1: %2 tokens/s")
                    .replace("%1", str(r.threads))
                    .replace("%2", QLocale().toString(r.tokens_per_second, "f", 1))
                    for r in measured
                )
            )
        )
        self.chart.show_results(results, best)
        self.chart.show()
        self._grow()

    @Slot()
    def _cancel(self) -> None:
        if self._finished:
            self.accept()
        else:
            self._set_status(lambda: self.tr("Cancelling…"))
            self.cancel_requested.emit()

"""What a user would see as cut off or overlapping, measured on real widgets.

Qt lays widgets out from their size hints but does not promise that a label gets the height
its wrapped text needs at the width it actually gets, that a button is as wide as its text, or
that a widget stays inside its window. This walks a shown widget tree and reports each place
where one of those fails, in words a failing test can print:

- a visible label (plain or rich) is narrower or shorter than its text needs at its width;
- a visible button, check box or tool button is smaller than its text and icon need;
- a visible control lies partly outside its parent (outside a scroll area's moving content,
  that is text drawn over the frame or simply not shown);
- two visible widgets with the same parent overlap (a button over a chart, help text over a
  field);
- a table's cell is narrower than its text (drawn elided), or a list's rows are wider than
  the list (a sideways scroll bar hides the end of each);
- a window is narrower than its title needs (the title bar then cuts it: "Renam…cChat").

Qt's own inner widgets (object names starting with "qt_") are theirs to lay out and skipped.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QScrollBar,
    QStyle,
    QTabBar,
    QTableView,
    QWidget,
)

__all__ = ["TITLE_BAR_BUTTONS_PX", "layout_problems"]

# Room a window manager's title bar takes for its buttons and margins (close, maximise,
# minimise, an icon): what openbox and the common desktops need at 100%.
TITLE_BAR_BUTTONS_PX = 140

_CONTROLS = (
    QLabel,
    QAbstractButton,
    QLineEdit,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QAbstractSlider,
    QProgressBar,
    QGroupBox,
)


def _shown(widget: QWidget, root: QWidget) -> bool:
    return widget.isVisibleTo(root) and widget.width() > 0 and widget.height() > 0


def _qt_internal(widget: QWidget) -> bool:
    """Parts Qt builds inside its own widgets (spin box editors, clear buttons, scroll bars)."""
    parent = widget.parentWidget()
    return (
        widget.objectName().startswith("qt_")
        or isinstance(widget, QScrollBar | QTabBar)
        or isinstance(parent, QAbstractSpinBox | QComboBox | QLineEdit | QTabBar | QScrollBar)
    )


def _name(widget: QWidget) -> str:
    text = ""
    if isinstance(widget, QLabel | QAbstractButton):
        text = widget.text()
    elif isinstance(widget, QGroupBox):
        text = widget.title()
    label = " ".join(text.split())[:60]
    kind = type(widget).__name__
    return f"{kind} {label!r}" if label else f"{kind} {widget.objectName() or '(unnamed)'}"


def _label_problem(label: QLabel) -> str | None:
    text = label.text()
    if not text or (label.pixmap() is not None and not label.pixmap().isNull()):
        return None
    room = label.contentsRect()
    if label.wordWrap():
        needed_height = label.heightForWidth(label.width())
        if label.height() < needed_height:
            return f"cut off at the bottom ({label.height()} < {needed_height} px)"
        if label.textFormat() is Qt.TextFormat.PlainText:
            bound = label.fontMetrics().boundingRect(room, int(Qt.TextFlag.TextWordWrap), text)
            if bound.width() > room.width() or bound.height() > room.height():
                return "its text does not fit"
        return None
    hint = label.sizeHint()
    if label.width() < hint.width():
        return f"cut off at the side ({label.width()} < {hint.width()} px)"
    if label.height() < hint.height():
        return f"cut off at the bottom ({label.height()} < {hint.height()} px)"
    return None


def _button_problem(button: QAbstractButton) -> str | None:
    if not button.text() and button.icon().isNull():
        return None
    hint = button.sizeHint()
    if button.width() < hint.width():
        return f"narrower than its text ({button.width()} < {hint.width()} px)"
    if button.height() < hint.height():
        return f"shorter than its text ({button.height()} < {hint.height()} px)"
    return None


def _inside_scrolled_content(widget: QWidget) -> bool:
    """In a scroll area's moving content (or a list's row), where lying beyond is scrolling."""
    parent = widget.parentWidget()
    grand = parent.parentWidget() if parent is not None else None
    return any(
        w is not None and w.objectName() == "qt_scrollarea_viewport" for w in (parent, grand)
    )


def _controls(root: QWidget) -> list[QWidget]:
    found = [w for w in root.findChildren(QWidget) if isinstance(w, _CONTROLS)]
    return [w for w in found if _shown(w, root) and not _qt_internal(w)]


def _placed(root: QWidget) -> list[QWidget]:
    """Every shown widget a layout places (controls, charts, pages), not Qt's inner parts."""
    found = root.findChildren(QWidget)
    return [w for w in found if not w.isWindow() and _shown(w, root) and not _qt_internal(w)]


def _overlaps(controls: Iterable[QWidget]) -> list[str]:
    problems = []
    by_parent: dict[int, list[QWidget]] = {}
    for widget in controls:
        parent = widget.parentWidget()
        if parent is not None:
            by_parent.setdefault(id(parent), []).append(widget)
    for siblings in by_parent.values():
        for index, first in enumerate(siblings):
            for second in siblings[index + 1 :]:
                common = first.geometry().intersected(second.geometry())
                if common.width() > 1 and common.height() > 1:
                    problems.append(f"{_name(first)} overlaps {_name(second)}")
    return problems


def layout_problems(root: QWidget) -> list[str]:
    """Everything in this shown window (or page) a user would see cut off or overlapping."""
    problems: list[str] = []
    title = root.windowTitle() if root.isWindow() else ""
    if title:
        needed = root.fontMetrics().horizontalAdvance(title) + TITLE_BAR_BUTTONS_PX
        if root.width() < needed:
            problems.append(f"window {title!r} too narrow for its title ({root.width()} px)")
    controls = _controls(root)
    for widget in controls:
        problem: str | None = None
        if isinstance(widget, QLabel):
            problem = _label_problem(widget)
        elif isinstance(widget, QAbstractButton):
            problem = _button_problem(widget)
        if problem is not None:
            problems.append(f"{_name(widget)}: {problem}")
        parent = widget.parentWidget()
        if (
            parent is not None
            and not _inside_scrolled_content(widget)
            and not parent.rect().contains(widget.geometry())
        ):
            problems.append(f"{_name(widget)}: outside {_name(parent)}")
        where = QRect(widget.mapTo(root, QPoint(0, 0)), widget.size())
        if not _in_scroll_area(widget, root) and not root.rect().contains(where):
            problems.append(f"{_name(widget)}: outside the window")
    for table in root.findChildren(QTableView):
        if _shown(table, root):
            problems += [f"{_name(table)}: {cut!r} cut off" for cut in _cut_cells(table)]
    for view in root.findChildren(QAbstractItemView):
        bar = view.horizontalScrollBar()
        if _shown(view, root) and bar.isVisible() and bar.maximum() > 0:
            problems.append(f"{_name(view)}: rows wider than the list (a sideways scroll bar)")
    problems.extend(_overlaps(_placed(root)))
    return problems


def _cut_cells(table: QTableView) -> list[str]:
    """Cells whose text is wider than the cell (the table draws it elided: "File → …")."""
    model, metrics, cut = table.model(), table.fontMetrics(), []
    # What Qt's item delegate keeps free on each side of a cell's text.
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            text = str(index.data() or "")
            room = table.visualRect(index).width()
            if text and room > 0 and metrics.horizontalAdvance(text) + 2 * margin > room:
                cut.append(text)
    return cut


def _in_scroll_area(widget: QWidget, root: QWidget) -> bool:
    node = widget.parentWidget()
    while node is not None and node is not root:
        if node.objectName() == "qt_scrollarea_viewport":
            return True
        node = node.parentWidget()
    return False

"""Theme and text size, applied to the running app without a restart.

One style sheet (resources/style.qss) names its colours and font sizes; this module fills
them in from a light or a dark palette and the user's text size. The Qt palette is set from
the same colours, so widgets the style sheet does not cover (menus, dialogs, scroll bars)
match. Both palettes keep text at WCAG AA contrast or better.
"""

from __future__ import annotations

from string import Template
from typing import Final

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from clinichat.resources import resource_path

LIGHT: Final = {
    "window": "#f6f8fa",
    "surface": "#ffffff",
    "border": "#d8dee4",
    "selection": "#ddeeff",
    "accentText": "#0b3d91",
    "text": "#1f2328",
    "control": "#c5ced8",
    "hover": "#eef2f6",
    "disabledText": "#8c959f",
    "disabledBorder": "#e1e6eb",
    "accent": "#0b5cad",
    "accentHover": "#094a8c",
    "accentDisabled": "#9fbbd9",
    "onAccent": "#ffffff",
    "danger": "#a40e26",
    "userBubble": "#e8f1fb",
    "userBorder": "#c9dcf2",
    "stateText": "#6e4e00",
    "noticeBg": "#fff8e1",
    "noticeBorder": "#f0d98c",
    "noticeText": "#4d3800",
    "mutedText": "#57606a",
    "statusText": "#3d444d",
    "errorBg": "#fdecee",
    "errorBorder": "#e5a1ab",
    "errorText": "#6b0a1a",
    "okBg": "#e3f4e8",
    "okText": "#0f5323",
    "found": "#d9a400",
}

DARK: Final = {
    "window": "#16191d",
    "surface": "#1f2328",
    "border": "#3a414a",
    "selection": "#1d3b5e",
    "accentText": "#9cc7ff",
    "text": "#e6e9ed",
    "control": "#4a525c",
    "hover": "#2a3038",
    "disabledText": "#7d8590",
    "disabledBorder": "#30363d",
    "accent": "#2f81d6",
    "accentHover": "#4493e3",
    "accentDisabled": "#2a4666",
    "onAccent": "#ffffff",
    "danger": "#ff7b8a",
    "userBubble": "#1b2d44",
    "userBorder": "#2c4a6e",
    "stateText": "#e3b341",
    "noticeBg": "#3a2f0b",
    "noticeBorder": "#6b5714",
    "noticeText": "#f2dc9b",
    "mutedText": "#a3acb7",
    "statusText": "#c3cad3",
    "errorBg": "#3d1418",
    "errorBorder": "#8a2a35",
    "errorText": "#ffc1c8",
    "okBg": "#12331d",
    "okText": "#a6e3b6",
    "found": "#e3b341",
}

# Point sizes at 100%; the style sheet's two explicit sizes scale with the base font.
_SMALL_PT: Final = 8.0
_TITLE_PT: Final = 15.0
_HEADING_PT: Final = 11.0


def is_dark(theme: str) -> bool:
    """'system' follows the desktop's colour scheme where Qt can read it."""
    if theme == "system":
        return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
    return theme == "dark"


def apply_appearance(app: QApplication, theme: str, font_scale: int) -> None:
    """Restyle every open window: colours for `theme`, fonts at `font_scale` percent."""
    colours = DARK if is_dark(theme) else LIGHT
    base = app.property("clinichatBaseFont")
    if not isinstance(base, QFont):
        base = QFont(app.font())
        app.setProperty("clinichatBaseFont", base)
    font = QFont(base)
    font.setPointSizeF(max(base.pointSizeF(), 9.0) * font_scale / 100)
    app.setFont(font)
    app.setPalette(_palette(colours))
    sheet = Template(resource_path("style.qss").read_text(encoding="utf-8"))
    app.setStyleSheet(
        sheet.substitute(
            colours,
            small=f"{_SMALL_PT * font_scale / 100:.1f}",
            title=f"{_TITLE_PT * font_scale / 100:.1f}",
            heading=f"{_HEADING_PT * font_scale / 100:.1f}",
        )
    )


def _palette(colours: dict[str, str]) -> QPalette:
    palette = QPalette()
    role = QPalette.ColorRole
    for name, roles in (
        ("window", (role.Window,)),
        ("surface", (role.Base, role.Button, role.ToolTipBase)),
        ("hover", (role.AlternateBase,)),
        ("text", (role.WindowText, role.Text, role.ButtonText, role.ToolTipText)),
        ("accent", (role.Highlight, role.Link)),
        ("onAccent", (role.HighlightedText,)),
        ("mutedText", (role.PlaceholderText,)),
    ):
        for r in roles:
            palette.setColor(r, QColor(colours[name]))
    disabled = QColor(colours["disabledText"])
    for r in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, r, disabled)
    return palette

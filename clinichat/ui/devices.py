"""What a device that runs the model is called on screen, in the current language.

The setting stores "cpu" and the engine reports "CPU"; both read as the processor, in words
a clinician knows. A graphics card keeps the name the backend gives it (data, not ours).
Callers ask again on every language switch, so the name never stays in the old language.
"""

from __future__ import annotations

from clinichat.messages import QT_TRANSLATE_NOOP
from clinichat.translate import translate

_PROCESSOR = QT_TRANSLATE_NOOP("Devices", "Processor (CPU)")


def device_name(device: str) -> str:
    """The on-screen name of `device` (a setting value or what the engine reports)."""
    return translate("Devices", _PROCESSOR) if device.lower() == "cpu" else device

"""The Spanish translation is complete, compiled, and faithful to the placeholders.

These run the real Qt tools (pyside6-lupdate, pyside6-lrelease) over the real sources, so a
new English text without a Spanish translation, or a stale .qm, fails here.
"""

from __future__ import annotations

import ast
import re
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "installers"))

import translations  # noqa: E402 - the installer script, as developers run it

TS = translations.ts_path("es")
PLACEHOLDER = re.compile(r"%\d|%n|\{[a-z_]+\}")


def messages(path: Path) -> list[tuple[str, ET.Element]]:
    root = ET.parse(path).getroot()
    return [
        (context.findtext("name") or "", message)
        for context in root.iter("context")
        for message in context.iter("message")
    ]


def translated_forms(message: ET.Element) -> list[str]:
    translation = message.find("translation")
    assert translation is not None
    forms = translation.findall("numerusform")
    return [f.text or "" for f in forms] if forms else [translation.text or ""]


def test_every_source_text_has_a_finished_spanish_translation(tmp_path: Path) -> None:
    fresh = tmp_path / TS.name
    shutil.copy2(TS, fresh)
    translations.update(fresh)  # merges new source texts into a copy of the checked-in file
    missing = []
    for context, message in messages(fresh):
        translation = message.find("translation")
        assert translation is not None
        forms = translated_forms(message)
        if translation.get("type") in ("unfinished", "vanished") or not all(forms):
            missing.append(f"{context}: {message.findtext('source')}")
    assert missing == [], "run installers/translations.py update, then translate these"
    assert len(messages(fresh)) == len(messages(TS)), "the checked-in .ts is not up to date"


def test_compiled_qm_matches_the_ts(tmp_path: Path) -> None:
    compiled = tmp_path / "clinichat_es.qm"
    translations.release(TS, compiled)
    assert compiled.read_bytes() == TS.with_suffix(".qm").read_bytes(), (
        "run installers/translations.py release"
    )


def test_translations_keep_placeholders_and_accelerators() -> None:
    problems = []
    for context, message in messages(TS):
        source = message.findtext("source") or ""
        for form in translated_forms(message):
            if sorted(set(PLACEHOLDER.findall(form))) != sorted(set(PLACEHOLDER.findall(source))):
                problems.append(f"{context}: placeholders differ: {source!r} -> {form!r}")
            if source.replace("&&", "").count("&") != form.replace("&&", "").count("&"):
                problems.append(f"{context}: accelerator lost: {source!r} -> {form!r}")
        if message.get("numerus") == "yes":
            assert len(translated_forms(message)) == 2, source
    assert problems == []


def _tr_calls() -> list[tuple[str, str, str]]:
    """(file, class, text) of every self.tr("literal") in the app."""
    found = []
    for path in sorted((ROOT / "clinichat").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for klass in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            for call in ast.walk(klass):
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and call.func.attr == "tr"
                    and call.args
                    and isinstance(call.args[0], ast.Constant)
                    and isinstance(call.args[0].value, str)
                ):
                    found.append((path.name, klass.name, call.args[0].value))
    return found


def test_every_tr_text_is_extracted_under_its_class() -> None:
    """At run time self.tr looks texts up under the class name; lupdate must agree.

    lupdate's Python parser loses track of the class after some constructs (a function
    nested in a function), and the texts after it then never get translated.
    """
    extracted = {(context, message.findtext("source")) for context, message in messages(TS)}
    calls = _tr_calls()
    assert len(calls) > 200
    lost = [
        f"{file}: {klass}: {text!r}"
        for file, klass, text in calls
        if (klass, text) not in extracted
    ]
    assert lost == []


@pytest.mark.parametrize("text", ["&File", "Send", "Settings"])
def test_spanish_differs_from_english(text: str) -> None:
    sources = {m.findtext("source"): translated_forms(m)[0] for _c, m in messages(TS)}
    assert sources[text] and sources[text] != text

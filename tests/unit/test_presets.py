"""Clinical presets: the shipped ones in both languages, and the user's file, good or broken."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clinichat.presets import (
    FIELDS,
    LIMITS,
    Preset,
    PresetError,
    builtin_presets_path,
    check_fields,
    load_builtin,
    normalise_language,
    presets_for,
    remove_preset,
    save_preset,
    user_presets_path,
)

BUILTIN = builtin_presets_path()
BUILTIN_IDS = [
    "free-chat",
    "soap-note",
    "patient-explanation",
    "document-summary",
    "referral-letter",
]


def by_id(presets: list[Preset]) -> dict[str, Preset]:
    return {preset.id: preset for preset in presets}


def write_user_file(config_dir: Path, entries: object) -> Path:
    path = user_presets_path(config_dir)
    path.write_text(json.dumps({"version": 1, "presets": entries}), encoding="utf-8")
    return path


def add(config_dir: Path, language: str = "en", preset_id: str | None = None, **texts: str) -> str:
    fields = {"name": "Discharge", "description": "", "system_prompt": "", "instruction": ""}
    return save_preset(config_dir, language, preset_id=preset_id, **(fields | texts))


def test_builtins_have_every_field_in_english_and_spanish_and_they_differ() -> None:
    entries, problems = load_builtin(BUILTIN)
    assert problems == []
    assert [entry.id for entry in entries] == BUILTIN_IDS
    for entry in entries:
        for field in FIELDS:
            texts = getattr(entry, field)
            assert set(texts) == {"en", "es"}, (entry.id, field)
            english, spanish = texts["en"], texts["es"]
            assert len(english) <= LIMITS[field] and len(spanish) <= LIMITS[field]
            if field == "instruction" and entry.id == "free-chat":
                assert english == spanish == "", "free chat starts with an empty question box"
            else:
                assert english.strip() and spanish.strip(), (entry.id, field)
                assert english != spanish, f"{entry.id}.{field} is not translated"


def test_builtin_system_prompts_forbid_invention_and_mark_gaps() -> None:
    presets_en, _ = presets_for("en", BUILTIN, Path("/nonexistent"))
    presets_es, _ = presets_for("es", BUILTIN, Path("/nonexistent"))
    for preset in presets_en:
        assert "invent" in preset.system_prompt and "draft" in preset.system_prompt
    for preset in presets_es:
        assert "inventes" in preset.system_prompt and "borrador" in preset.system_prompt
    for preset_id in ("soap-note", "document-summary", "referral-letter", "patient-explanation"):
        assert "[not documented]" in by_id(presets_en)[preset_id].system_prompt
        assert "[no documentado]" in by_id(presets_es)[preset_id].system_prompt
    soap_es = by_id(presets_es)["soap-note"].instruction
    assert "nota SOAP (Subjetivo, Objetivo, Análisis, Plan)" in soap_es


@pytest.mark.parametrize(
    ("language", "expected"),
    [("es", "es"), ("es_MX", "es"), ("es-ES", "es"), ("en", "en"), ("fr", "en"), ("", "en")],
)
def test_languages_other_than_spanish_get_english(language: str, expected: str) -> None:
    assert normalise_language(language) == expected
    presets, _ = presets_for(language, BUILTIN, Path("/nonexistent"))
    name = by_id(presets)["soap-note"].name
    names = {
        "es": "Nota SOAP a partir de notas de consulta",
        "en": "SOAP note from consultation notes",
    }
    assert name == names[expected]


def test_add_edit_and_delete_a_user_preset_round_trip_through_the_file(tmp_path: Path) -> None:
    preset_id = add(
        tmp_path,
        "es",
        name="  Informe de alta  ",
        description="Resumen para el alta",
        system_prompt="Eres un asistente.",
        instruction="Redacta el informe de alta:",
    )
    assert preset_id.startswith("user-")
    stored = json.loads(user_presets_path(tmp_path).read_text(encoding="utf-8"))
    assert stored["version"] == 1
    assert stored["presets"][0]["name"] == {"es": "Informe de alta"}

    for language in ("es", "en"):  # written in Spanish only: shown as written in both
        presets, problems = presets_for(language, BUILTIN, tmp_path)
        assert problems == []
        assert presets[-1] == Preset(
            id=preset_id,
            name="Informe de alta",
            description="Resumen para el alta",
            system_prompt="Eres un asistente.",
            instruction="Redacta el informe de alta:",
            builtin=False,
        )

    add(tmp_path, "es", preset_id, name="Alta hospitalaria")
    presets, _ = presets_for("es", BUILTIN, tmp_path)
    assert [p.name for p in presets if not p.builtin] == ["Alta hospitalaria"]

    remove_preset(tmp_path, preset_id)
    presets, _ = presets_for("es", BUILTIN, tmp_path)
    assert [p.id for p in presets] == BUILTIN_IDS


def test_an_edited_builtin_replaces_the_default_until_reset(tmp_path: Path) -> None:
    add(tmp_path, "en", "soap-note", name="My SOAP", system_prompt="Short.", instruction="Go:")
    presets, _ = presets_for("en", BUILTIN, tmp_path)
    soap = by_id(presets)["soap-note"]
    assert (soap.name, soap.system_prompt, soap.instruction) == ("My SOAP", "Short.", "Go:")
    assert soap.builtin and soap.edited
    assert [p.id for p in presets] == BUILTIN_IDS, "an edit keeps the built-in's place"

    remove_preset(tmp_path, "soap-note")
    presets, _ = presets_for("en", BUILTIN, tmp_path)
    soap = by_id(presets)["soap-note"]
    assert soap.name == "SOAP note from consultation notes" and not soap.edited


def test_an_edit_of_a_builtin_may_leave_fields_out(tmp_path: Path) -> None:
    write_user_file(tmp_path, [{"id": "referral-letter", "instruction": "Refer to cardiology:"}])
    presets, problems = presets_for("es", BUILTIN, tmp_path)
    letter = by_id(presets)["referral-letter"]
    assert problems == []
    assert letter.instruction == "Refer to cardiology:"
    assert letter.name == "Carta de derivación" and letter.edited


def test_broken_entries_are_reported_by_entry_and_field_and_the_rest_loads(
    tmp_path: Path,
) -> None:
    path = write_user_file(
        tmp_path,
        [
            {"id": "user-good", "name": {"en": "Good", "es": "Bueno"}},
            "not an object",
            {"name": "No id"},
            {"id": "user-2", "name": "Two", "system": 42},
            {"id": "user-3"},
            {"id": "user-4", "name": "Four", "instruction": "x" * (LIMITS["instruction"] + 1)},
            {"id": "user-good", "name": "Twin"},
            {"id": "user-5", "name": "  "},
            {"id": "user-6", "name": "Six", "description": {"en": ["list"]}},
            {"id": "user-plain", "name": "Plain", "system": "Same text in every language."},
        ],
    )
    presets, problems = presets_for("es", BUILTIN, tmp_path)
    assert [p.id for p in presets if not p.builtin] == ["user-good", "user-plain"]
    assert by_id(presets)["user-good"].name == "Bueno"
    assert by_id(presets)["user-plain"].system_prompt == "Same text in every language."
    assert len(problems) == 8
    expected = [
        ("preset 2:", "not a preset"),
        ("preset 3:", "“id”"),
        ("preset 4 (user-2):", "“system” must be text"),
        ("preset 5 (user-3):", "“name” is missing"),
        ("preset 6 (user-4):", "“instruction” is longer than 2000 characters"),
        ("preset 7 (user-good):", "same id"),
        ("preset 8 (user-5):", "“name” is empty"),
        ("preset 9 (user-6):", "“description” must be text"),
    ]
    for problem, (entry, reason) in zip(problems, expected, strict=True):
        assert problem.startswith(f"{path}, {entry}"), problem
        assert reason in problem, problem


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe\x00garbage",
        b"[]",
        b'{"version": 2, "presets": []}',
        b'{"version": 1}',
    ],
)
def test_an_unreadable_user_file_leaves_the_builtins_and_is_never_overwritten(
    tmp_path: Path, content: bytes
) -> None:
    path = user_presets_path(tmp_path)
    path.write_bytes(content)
    presets, problems = presets_for("en", BUILTIN, tmp_path)
    assert [p.id for p in presets] == BUILTIN_IDS
    assert len(problems) == 1 and str(path) in problems[0]
    with pytest.raises(PresetError, match="Nothing was saved"):
        add(tmp_path)
    with pytest.raises(PresetError, match="Nothing was saved"):
        remove_preset(tmp_path, "soap-note")
    assert path.read_bytes() == content


def test_entries_that_cannot_be_read_are_kept_when_another_is_saved(tmp_path: Path) -> None:
    broken = {"id": "user-broken", "name": "Broken", "system": 42}
    write_user_file(tmp_path, [broken])
    add(tmp_path, name="New")
    stored = json.loads(user_presets_path(tmp_path).read_text(encoding="utf-8"))
    assert stored["presets"][0] == broken, "the clinician can still repair it by hand"


def test_a_missing_builtin_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    add(tmp_path, name="Mine")
    presets, problems = presets_for("en", tmp_path / "nowhere.json", tmp_path)
    assert [p.name for p in presets] == ["Mine"]
    assert len(problems) == 1 and "nowhere.json" in problems[0]


def test_fields_that_are_too_long_or_missing_are_refused_with_clear_errors(
    tmp_path: Path,
) -> None:
    problems = check_fields(
        name="n" * 81, description="d" * 201, system_prompt="s" * 8001, instruction="i" * 2001
    )
    assert [(p.field, str(p)) for p in problems] == [
        ("name", "The name has 81 characters; the limit is 80."),
        ("description", "The description has 201 characters; the limit is 200."),
        ("system", "The system prompt has 8001 characters; the limit is 8000."),
        ("instruction", "The instruction has 2001 characters; the limit is 2000."),
    ]
    assert [str(p) for p in check_fields("   ", "", "", "")] == ["Give the preset a name."]
    assert check_fields("n" * 80, "d" * 200, "s" * 8000, "i" * 2000) == []
    with pytest.raises(PresetError, match="the limit is 8000") as raised:
        add(tmp_path, system_prompt="s" * 8001)
    assert raised.value.field == "system"
    assert not user_presets_path(tmp_path).exists()


def test_problems_are_translated_by_the_function_given(tmp_path: Path) -> None:
    write_user_file(tmp_path, [{"id": "user-1"}])
    seen: list[str] = []

    def translate(context: str, text: str) -> str:
        seen.append(context)
        return text.replace("is missing", "falta")

    _, problems = presets_for("es", BUILTIN, tmp_path, translate=translate)
    assert seen == ["Presets"]
    assert problems == [
        f"{user_presets_path(tmp_path)}, preset 1 (user-1): “name” falta; left out."
    ]


def test_the_saved_file_is_readable_utf8_json(tmp_path: Path) -> None:
    add(tmp_path, "es", name="Niño con fiebre", instruction="Explícalo:")
    text = user_presets_path(tmp_path).read_text(encoding="utf-8")
    assert "Niño con fiebre" in text, "Spanish stays legible for whoever opens the file"
    assert not list(tmp_path.glob("*.tmp")), "the atomic write leaves no temporary file"

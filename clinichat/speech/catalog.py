"""The Whisper models ClinicChat offers, pinned to one published revision each.

Every file is fixed by size and sha256 as its publisher's repository holds it at that
revision, so a download is checked byte for byte and a changed upload is refused rather than
run. The weights are FP16 conversions (CTranslate2) of OpenAI's Whisper, MIT; they are
quantised to int8 when loaded. Speeds are what a 2-core PC measured (tests/bench).
"""

from __future__ import annotations

from dataclasses import dataclass

from clinichat.messages import QT_TRANSLATE_NOOP

_TOKENIZER = (
    "tokenizer.json",
    2_203_239,
    "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
)
_VOCABULARY = (
    "vocabulary.txt",
    459_861,
    "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
)


@dataclass(frozen=True)
class SpeechFile:
    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class SpeechModel:
    """One downloadable Whisper model: where it comes from and what it needs."""

    #: Short name used on the command line and in settings ('base').
    name: str
    title: str
    repository: str
    revision: str
    files: tuple[SpeechFile, ...]
    #: Memory while transcribing on the CPU (int8), in MB.
    ram_mb: int
    #: Millions of weights (OpenAI's published sizes): how much work each second of sound is.
    parameters_m: int
    #: Untranslated English; the UI translates it in the "Speech" context.
    description: str
    licence: str = "MIT"
    #: Where the repository is published; `speech download --mirror` (a clinic's copy)
    #: and the tests (a copy on 127.0.0.1) replace it.
    host: str = "https://huggingface.co"
    languages: str = QT_TRANSLATE_NOOP("Speech", "99 languages, including Spanish and English")

    @property
    def size(self) -> int:
        return sum(file.size for file in self.files)

    def url(self, file: SpeechFile) -> str:
        return f"{self.host}/{self.repository}/resolve/{self.revision}/{file.name}"


def _files(*entries: tuple[str, int, str]) -> tuple[SpeechFile, ...]:
    return tuple(SpeechFile(*entry) for entry in entries)


SPEECH_MODELS: tuple[SpeechModel, ...] = (
    SpeechModel(
        name="tiny",
        title="Whisper tiny",
        repository="Systran/faster-whisper-tiny",
        revision="d90ca5fe260221311c53c58e660288d3deb8d356",
        files=_files(
            (
                "model.bin",
                75_538_270,
                "dcb76c6586fc06cbdac6dd21f14cfd129cc4cdd9dce19bf4ffa62e59cbe6e6d1",
            ),
            (
                "config.json",
                2_249,
                "a73a28cdfe1c43ccc7202fa333d1f89c202477271407ae9a7f19afa52039cac8",
            ),
            _TOKENIZER,
            _VOCABULARY,
        ),
        ram_mb=400,
        parameters_m=39,
        description=QT_TRANSLATE_NOOP(
            "Speech",
            "The fastest; makes more mistakes, especially with drug names. For a slow PC.",
        ),
    ),
    SpeechModel(
        name="base",
        title="Whisper base",
        repository="Systran/faster-whisper-base",
        revision="ebe41f70d5b6dfa9166e2c581c45c9c0cfc57b66",
        files=_files(
            (
                "model.bin",
                145_217_532,
                "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
            ),
            (
                "config.json",
                2_309,
                "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
            ),
            _TOKENIZER,
            _VOCABULARY,
        ),
        ram_mb=600,
        parameters_m=74,
        description=QT_TRANSLATE_NOOP(
            "Speech", "Fast on any PC and good for dictation in a quiet room. Recommended."
        ),
    ),
    SpeechModel(
        name="small",
        title="Whisper small",
        repository="Systran/faster-whisper-small",
        revision="536b0662742c02347bc0e980a01041f333bce120",
        files=_files(
            (
                "model.bin",
                483_546_902,
                "3e305921506d8872816023e4c273e75d2419fb89b24da97b4fe7bce14170d671",
            ),
            (
                "config.json",
                2_370,
                "b55496ac7940a7ae47d2c01eab40edfd8701feec1229d9cce3b40014383fb828",
            ),
            _TOKENIZER,
            _VOCABULARY,
        ),
        ram_mb=1_500,
        parameters_m=244,
        description=QT_TRANSLATE_NOOP(
            "Speech",
            "More accurate than base, and several times slower. Good for recorded"
            " consultations on a PC with 4 cores or more.",
        ),
    ),
    SpeechModel(
        name="large-v3-turbo",
        title="Whisper large-v3 turbo",
        repository="mobiuslabsgmbh/faster-whisper-large-v3-turbo",
        revision="0a363e9161cbc7ed1431c9597a8ceaf0c4f78fcf",
        files=_files(
            (
                "model.bin",
                1_617_884_929,
                "e76620f83d5f5b69efd3d87e3dc180c1bd21df9fbebacfd4335e5e1efcc018da",
            ),
            (
                "config.json",
                2_263,
                "b0253ea6c0d3bea6b1e19e91a02acfd3b53f4467362efcb5a3e6b16c9b3a9b7e",
            ),
            (
                "preprocessor_config.json",
                340,
                "7ccc62c6f2765af1f3b46c00c9b5894426835a05021c8b9c01eecb6dfb542711",
            ),
            (
                "tokenizer.json",
                2_710_337,
                "297b13372ac43916285644fb9687add3cc62ee2a1adb60da3dc25cc94c1871fd",
            ),
            (
                "vocabulary.json",
                1_068_114,
                "c69260f2ab26d659b7c398f9a2b2b48ed0df16c3b47d7326782fd9cba71690c1",
            ),
        ),
        ram_mb=3_000,
        parameters_m=809,
        description=QT_TRANSLATE_NOOP(
            "Speech",
            "The most accurate here, close to Whisper's large model yet much faster than it;"
            " still slow without a graphics card. For recorded consultations on a strong PC.",
        ),
    ),
)

DEFAULT_SPEECH_MODEL = "base"


def find_speech_model(name: str) -> SpeechModel | None:
    return next((model for model in SPEECH_MODELS if model.name == name), None)

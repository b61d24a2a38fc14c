"""The log file: private, rotating, and blanking records that could carry chat text."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from clinichat.logging_setup import BACKUPS, LOG_NAME, MAX_BYTES, MAX_MESSAGE, configure

SENTINEL = "PATIENT-SENTINEL-4f1c"
posix_only = pytest.mark.skipif(
    os.name != "posix",
    reason="Windows has no POSIX mode bits; there the user profile's ACLs keep logs private",
)


@pytest.fixture(autouse=True)
def pytest_handlers() -> Iterator[list[logging.Handler]]:
    """Put the root logger back as it was; pytest's own handlers stay throughout."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield handlers
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def only_ours(pytest_handlers: list[logging.Handler]) -> logging.Logger:
    """A logger that writes through the configured handlers alone.

    pytest's capture handler raises on a record whose arguments do not fit its format; the
    app has no such handler, so records meant to test that go around it.
    """
    logger = logging.getLogger("clinichat.test.isolated")
    logger.propagate = False
    logger.handlers = [h for h in logging.getLogger().handlers if h not in pytest_handlers]
    return logger


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_file_gets_info_and_up_while_stderr_follows_the_level(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = configure(tmp_path / "logs", "warning")
    assert path == tmp_path / "logs" / LOG_NAME
    log = logging.getLogger("clinichat.test")
    log.debug("debug figure")
    log.info("info figure %d", 7)
    log.warning("warning figure")
    text = path.read_text(encoding="utf-8")
    assert "debug figure" not in text
    assert "INFO clinichat.test: info figure 7" in text
    assert "WARNING clinichat.test: warning figure" in text
    err = capsys.readouterr().err
    assert err == "WARNING clinichat.test: warning figure\n"


def test_debug_level_reaches_the_file_and_a_second_call_replaces_the_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(tmp_path / "logs", "info")
    path = configure(tmp_path / "logs", "debug")
    assert path is not None
    logging.getLogger("clinichat.test").debug("once")
    assert path.read_text(encoding="utf-8").count("once") == 1
    assert capsys.readouterr().err.count("once") == 1


def test_without_a_folder_only_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert configure(None, "info") is None
    logging.getLogger("clinichat.test").info("figure")
    assert "figure" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_unknown_level_is_refused() -> None:
    with pytest.raises(ValueError, match="level"):
        configure(None, "chatty")


@posix_only
def test_file_and_folder_are_private_even_if_they_existed_wider(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir(mode=0o755)
    (logs / LOG_NAME).write_text("old\n")
    (logs / LOG_NAME).chmod(0o644)
    path = configure(logs, "info")
    assert path is not None
    assert mode(logs) == 0o700
    assert mode(path) == 0o600


def test_the_file_rotates_and_keeps_a_bounded_number_of_old_files(tmp_path: Path) -> None:
    path = configure(tmp_path / "logs", "info")
    assert path is not None
    log = logging.getLogger("clinichat.test")
    line = "x" * 200
    records = (MAX_BYTES * (BACKUPS + 2)) // len(line)
    for number in range(records):
        log.info("%d %s", number, line)
    files = sorted(path.parent.glob(LOG_NAME + "*"))
    assert [f.name for f in files] == [LOG_NAME] + [f"{LOG_NAME}.{n}" for n in range(1, 6)]
    for file in files:
        assert file.stat().st_size <= MAX_BYTES
        if os.name == "posix":
            assert mode(file) == 0o600, file
    assert f" {records - 1} " in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("message", "args", "reason"),
    [
        (
            "question: %s",
            ("a" * MAX_MESSAGE + SENTINEL,),
            f"{len('question: ') + MAX_MESSAGE + len(SENTINEL)} characters",
        ),
        ("answer:\n%s", (SENTINEL,), "several lines"),
        ("%s\r%s", ("figure", SENTINEL), "several lines"),
        ("%d tokens", (SENTINEL,), "unformattable"),
    ],
)
def test_the_net_blanks_records_that_could_carry_text(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    pytest_handlers: list[logging.Handler],
    message: str,
    args: tuple[object, ...],
    reason: str,
) -> None:
    path = configure(tmp_path / "logs", "info")
    assert path is not None
    only_ours(pytest_handlers).info(message, *args)
    text = path.read_text(encoding="utf-8")
    err = capsys.readouterr().err
    assert SENTINEL not in text and SENTINEL not in err
    assert f"INFO clinichat.test.isolated: [record withheld by the safety net: {reason}]" in text
    assert "withheld" in err


def test_the_net_blanks_tracebacks_whose_last_line_is_the_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = configure(tmp_path / "logs", "info")
    assert path is not None
    try:
        float(SENTINEL)
    except ValueError:
        logging.getLogger("clinichat.test").exception("parsing failed")
    logging.getLogger("clinichat.test").info("figures %s", "stay", stack_info=True)
    text = path.read_text(encoding="utf-8")
    assert SENTINEL not in text and SENTINEL not in capsys.readouterr().err
    assert text.count("withheld by the safety net: traceback") == 2


def test_short_single_line_records_pass_unchanged(tmp_path: Path) -> None:
    path = configure(tmp_path / "logs", "info")
    assert path is not None
    figure = "answer 3 finished: 12 tokens, 80.1 tokens/s, first token after 0.21 s"
    logging.getLogger("clinichat.chat_controller").info(figure)
    edge = "y" * MAX_MESSAGE
    logging.getLogger("clinichat.test").info(edge)
    text = path.read_text(encoding="utf-8")
    assert f"clinichat.chat_controller: {figure}\n" in text
    assert f"clinichat.test: {edge}\n" in text

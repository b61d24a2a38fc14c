"""The model downloader against a real local HTTP server that misbehaves on request."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from dlsupport import MB, Served, ranged, run_to_end
from httpserver import FileServer, free_port
from pytestqt.qtbot import QtBot

from clinichat.models.catalog import CatalogEntry
from clinichat.models.download import Download, partial_downloads
from clinichat.models.download_http import check_url
from clinichat.models.download_spec import DownloadError, DownloadSpec, DownloadState

Serve = Callable[..., Served]
MakeDownload = Callable[..., Download]


def assert_installed(models_dir: Path, served: Served) -> None:
    """The model is in place, byte for byte, and nothing else is left behind."""
    final = models_dir / served.name
    assert final.read_bytes() == served.data
    assert sorted(p.name for p in models_dir.iterdir()) == [served.name]


def message(download: Download) -> str:
    assert download.error is not None
    return str(download.error)


# -- the happy paths -----------------------------------------------------------------------
def test_downloads_and_checks_md5(
    qtbot: QtBot, serve: Serve, server: FileServer, make_download: MakeDownload, models_dir: Path
) -> None:
    served = serve()
    download = make_download(served.spec())
    states: list[DownloadState] = []
    download.state_changed.connect(states.append)
    with qtbot.waitSignal(download.finished, timeout=15_000) as blocker:
        download.start()
    assert blocker.args == [models_dir / served.name]
    assert download.state == DownloadState.FINISHED
    assert download.received == download.total == len(served.data)
    assert states == [DownloadState.RUNNING, DownloadState.VERIFYING, DownloadState.FINISHED]
    assert_installed(models_dir, served)
    [request] = server.requests_for(served.name)
    assert request.range is None and request.status == 200


def test_sha256_is_preferred_over_md5(
    qtbot: QtBot, serve: Serve, make_download: MakeDownload, models_dir: Path
) -> None:
    served = serve()
    # A wrong MD5 beside the right SHA-256: only SHA-256 is checked, so this must succeed.
    download = make_download(served.spec(md5="0" * 32, sha256=served.sha256))
    assert run_to_end(qtbot, download) == DownloadState.FINISHED
    assert_installed(models_dir, served)


def test_several_downloads_at_once_share_one_manager(
    qtbot: QtBot, serve: Serve, server: FileServer, make_download: MakeDownload, models_dir: Path
) -> None:
    files = [serve(f"model-{i}.gguf", 2 * MB + i) for i in range(4)]
    server.drop_after(MB, times=2)  # two of them also have to resume
    downloads = [make_download(f.spec()) for f in files]
    for download in downloads:
        download.start()
    qtbot.waitUntil(
        lambda: all(d.state == DownloadState.FINISHED for d in downloads), timeout=15_000
    )
    for served in files:
        assert (models_dir / served.name).read_bytes() == served.data
    assert partial_downloads(models_dir) == []


def test_starter_model_downloads_byte_for_byte(
    qtbot: QtBot, starter_model: Path, make_download: MakeDownload, models_dir: Path
) -> None:
    data = starter_model.read_bytes()
    with FileServer(starter_model.parent) as origin:
        spec = DownloadSpec(
            url=origin.url(starter_model.name),
            filename=starter_model.name,
            size=len(data),
            md5=hashlib.md5(data).hexdigest(),
        )
        download = make_download(spec)
        updates: list[int] = []
        download.progress.connect(lambda: updates.append(download.received))
        started = time.monotonic()
        assert run_to_end(qtbot, download, timeout_ms=60_000) == DownloadState.FINISHED
        elapsed = time.monotonic() - started
    assert (models_dir / starter_model.name).read_bytes() == data
    assert updates == sorted(updates)  # progress only ever moves forward here
    assert updates[-1] == len(data)
    # About ten updates a second at most (plus one per state change), not one per chunk.
    assert len(updates) <= elapsed * 10 + 4


# -- interrupted transfers -----------------------------------------------------------------
def test_dropped_connection_resumes_where_it_stopped(
    qtbot: QtBot, serve: Serve, server: FileServer, make_download: MakeDownload, models_dir: Path
) -> None:
    served = serve()
    server.drop_after(MB + 7)
    download = make_download(served.spec())
    assert run_to_end(qtbot, download) == DownloadState.FINISHED
    assert_installed(models_dir, served)
    first = server.requests_for(served.name)[0]
    [rest] = ranged(server, served.name)
    assert first.range is None and first.sent == MB + 7
    assert rest.range == f"bytes={MB + 7}-" and rest.status == 206
    assert first.sent + rest.sent == len(served.data)  # nothing fetched twice


def test_connection_dropping_every_time_still_completes(
    qtbot: QtBot, serve: Serve, server: FileServer, make_download: MakeDownload, models_dir: Path
) -> None:
    """Each attempt that brings bytes resets the retry budget: slow progress is progress."""
    served = serve(size=3 * MB)
    server.drop_after(MB // 2, times=-1)
    download = make_download(served.spec(), retry_delays_s=(0.01,))
    assert run_to_end(qtbot, download) == DownloadState.FINISHED
    assert_installed(models_dir, served)
    starts = sorted({int(r.range.strip("bytes=-")) for r in ranged(server, served.name) if r.range})
    assert starts == [n * MB // 2 for n in range(1, 6)]
    assert all(r.sent <= MB // 2 for r in server.requests_for(served.name))


def test_server_ignoring_range_restarts_from_zero(
    qtbot: QtBot, serve: Serve, server: FileServer, make_download: MakeDownload, models_dir: Path
) -> None:
    served = serve()
    server.drop_after(MB)
    server.ignore_range()
    download = make_download(served.spec())
    assert run_to_end(qtbot, download) == DownloadState.FINISHED
    assert_installed(models_dir, served)
    [second] = ranged(server, served.name)
    assert second.range == f"bytes={MB}-" and second.status == 200
    assert second.sent == len(served.data)


def test_wrong_content_range_restarts_from_zero(
    qtbot: QtBot, serve: Serve, server: FileServer, make_download: MakeDownload, models_dir: Path
) -> None:
    served = serve()
    server.drop_after(2 * MB)
    server.wrong_content_range()  # answers bytes=2MB- with bytes 1MB-…
    download = make_download(served.spec())
    assert run_to_end(qtbot, download) == DownloadState.FINISHED
    assert_installed(models_dir, served)
    [shifted] = ranged(server, served.name)
    assert (shifted.range, shifted.status) == (f"bytes={2 * MB}-", 206)
    last = server.requests_for(served.name)[-1]
    assert (last.range, last.status, last.sent) == (None, 200, len(served.data))


def test_stalled_transfer_is_abandoned_and_resumed(
    qtbot: QtBot, serve: Serve, server: FileServer, make_download: MakeDownload, models_dir: Path
) -> None:
    served = serve()
    server.stall_after(MB, seconds=10)
    download = make_download(served.spec(), stall_timeout_s=0.5)
    states: list[DownloadState] = []
    download.state_changed.connect(states.append)
    assert run_to_end(qtbot, download, timeout_ms=8_000) == DownloadState.FINISHED
    assert_installed(models_dir, served)
    assert DownloadState.RETRYING in states
    [second] = ranged(server, served.name)
    assert second.range == f"bytes={MB}-"


def test_pause_and_resume_do_not_fetch_bytes_twice(
    qtbot: QtBot, serve: Serve, server: FileServer, make_download: MakeDownload, models_dir: Path
) -> None:
    served = serve()
    server.stall_after(MB, seconds=10)  # holds the transfer still while the test pauses
    download = make_download(served.spec(), stall_timeout_s=30)
    download.start()
    qtbot.waitUntil(lambda: download.received == MB, timeout=10_000)
    download.pause()
    assert download.state == DownloadState.PAUSED
    assert (models_dir / (served.name + ".part")).stat().st_size == MB
    qtbot.wait(200)
    assert len(server.requests_for(served.name)) == 1  # paused means no new request
    assert run_to_end(qtbot, download) == DownloadState.FINISHED
    assert_installed(models_dir, served)
    [second] = ranged(server, served.name)
    assert second.range == f"bytes={MB}-"
    assert second.sent == len(served.data) - MB


@pytest.mark.parametrize("keep", [True, False])
def test_cancel_keeps_the_part_only_when_asked(
    qtbot: QtBot,
    serve: Serve,
    server: FileServer,
    make_download: MakeDownload,
    models_dir: Path,
    keep: bool,
) -> None:
    served = serve()
    server.stall_after(MB, seconds=10)
    download = make_download(served.spec(), stall_timeout_s=30)
    download.start()
    qtbot.waitUntil(lambda: download.received == MB, timeout=10_000)
    download.cancel(keep_partial=keep)
    assert download.state == DownloadState.CANCELLED
    part = models_dir / (served.name + ".part")
    assert part.exists() == keep
    assert not (models_dir / served.name).exists()
    if keep:
        assert part.read_bytes() == served.data[:MB]
        assert partial_downloads(models_dir) == [part]
        # A later Download (e.g. after a restart) continues from the kept bytes.
        again = make_download(served.spec())
        assert run_to_end(qtbot, again) == DownloadState.FINISHED
        assert server.requests_for(served.name)[-1].range == f"bytes={MB}-"
        assert_installed(models_dir, served)


def test_part_from_an_earlier_run_is_continued(
    qtbot: QtBot, serve: Serve, server: FileServer, make_download: MakeDownload, models_dir: Path
) -> None:
    served = serve(size=9 * MB + 5)  # more than two re-hash chunks
    models_dir.mkdir()
    part = models_dir / (served.name + ".part")
    offset = 9 * MB - 3
    part.write_bytes(served.data[:offset])
    assert partial_downloads(models_dir) == [part]
    download = make_download(served.spec(sha256=served.sha256))
    states: list[DownloadState] = []
    download.state_changed.connect(states.append)
    assert run_to_end(qtbot, download) == DownloadState.FINISHED
    assert states[:2] == [DownloadState.VERIFYING, DownloadState.RUNNING]
    assert_installed(models_dir, served)
    [request] = server.requests_for(served.name)
    assert request.range == f"bytes={offset}-" and request.sent == 8
    assert partial_downloads(models_dir) == []


def test_pause_while_reading_an_earlier_part(
    qtbot: QtBot, serve: Serve, server: FileServer, make_download: MakeDownload, models_dir: Path
) -> None:
    served = serve(size=10 * MB)
    models_dir.mkdir()
    (models_dir / (served.name + ".part")).write_bytes(served.data[: 9 * MB])
    download = make_download(served.spec())

    def pause_once(state: DownloadState) -> None:
        if state == DownloadState.VERIFYING and download.received == 0:
            download.state_changed.disconnect(pause_once)
            download.pause()

    download.state_changed.connect(pause_once)
    download.start()
    qtbot.waitUntil(lambda: download.state == DownloadState.PAUSED, timeout=5_000)
    assert server.requests == []
    assert run_to_end(qtbot, download) == DownloadState.FINISHED
    assert_installed(models_dir, served)
    assert [r.range for r in server.requests] == [f"bytes={9 * MB}-"]


@pytest.mark.parametrize("action", ["pause", "cancel"])
def test_stop_during_the_final_check(
    qtbot: QtBot,
    serve: Serve,
    server: FileServer,
    make_download: MakeDownload,
    models_dir: Path,
    action: str,
) -> None:
    served = serve()
    download = make_download(served.spec())

    def stop_once(state: DownloadState) -> None:
        if state == DownloadState.VERIFYING:
            download.state_changed.disconnect(stop_once)
            if action == "pause":
                download.pause()
            else:
                download.cancel(keep_partial=False)

    download.state_changed.connect(stop_once)
    download.start()
    done = DownloadState.PAUSED if action == "pause" else DownloadState.CANCELLED
    qtbot.waitUntil(lambda: download.state == done, timeout=10_000)
    qtbot.wait(100)
    assert download.state == done  # nothing went on behind the stop
    assert not (models_dir / served.name).exists()
    if action == "cancel":
        assert list(models_dir.iterdir()) == []
        return
    assert run_to_end(qtbot, download) == DownloadState.FINISHED
    assert_installed(models_dir, served)
    assert len(server.requests_for(served.name)) == 1  # all bytes were there: only checked


def test_complete_part_from_an_earlier_run_needs_no_network(
    qtbot: QtBot, serve: Serve, server: FileServer, make_download: MakeDownload, models_dir: Path
) -> None:
    """The app stopped between the last byte and the rename: just verify and rename."""
    served = serve()
    models_dir.mkdir()
    (models_dir / (served.name + ".part")).write_bytes(served.data)
    download = make_download(served.spec())
    assert run_to_end(qtbot, download) == DownloadState.FINISHED
    assert_installed(models_dir, served)
    assert server.requests_for(served.name) == []


def test_damaged_part_from_an_earlier_run_is_caught(
    qtbot: QtBot, serve: Serve, make_download: MakeDownload, models_dir: Path
) -> None:
    served = serve()
    models_dir.mkdir()
    damaged = bytearray(served.data[:MB])
    damaged[100] ^= 0xFF
    (models_dir / (served.name + ".part")).write_bytes(bytes(damaged))
    download = make_download(served.spec())
    assert run_to_end(qtbot, download) == DownloadState.FAILED
    assert "MD5 checksum" in message(download)
    assert list(models_dir.iterdir()) == []


def test_transient_503_is_retried(
    qtbot: QtBot, serve: Serve, server: FileServer, make_download: MakeDownload, models_dir: Path
) -> None:
    served = serve()
    server.fail_with(503)
    download = make_download(served.spec())
    assert run_to_end(qtbot, download) == DownloadState.FINISHED
    assert_installed(models_dir, served)
    assert [r.status for r in server.requests_for(served.name)] == [503, 200]


# -- failures ------------------------------------------------------------------------------
def test_wrong_checksum_discards_the_file(
    qtbot: QtBot, serve: Serve, make_download: MakeDownload, models_dir: Path
) -> None:
    served = serve()
    wrong = "f" * 32
    download = make_download(served.spec(md5=wrong))
    with qtbot.waitSignal(download.failed, timeout=15_000) as blocker:
        download.start()
    assert blocker.args == [download.error]
    text = message(download)
    assert "MD5 checksum is " + served.md5 in text and "expects " + wrong in text
    assert "deleted" in text
    assert list(models_dir.iterdir()) == []


def test_size_other_than_the_catalogs_is_refused(
    qtbot: QtBot, serve: Serve, server: FileServer, make_download: MakeDownload, models_dir: Path
) -> None:
    served = serve()
    download = make_download(served.spec(size=len(served.data) + 1))
    assert run_to_end(qtbot, download) == DownloadState.FAILED
    text = message(download)
    assert f"{len(served.data):,} bytes" in text and f"{len(served.data) + 1:,} bytes" in text
    assert "server offers" in text  # caught from the headers, before any byte was kept
    assert list(models_dir.iterdir()) == []


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (404, "does not have"),
        (403, "refused access"),
        (416, "refused the download"),
        (300, "refused"),
    ],
)
def test_client_errors_fail_at_once(
    qtbot: QtBot,
    serve: Serve,
    server: FileServer,
    make_download: MakeDownload,
    models_dir: Path,
    status: int,
    words: str,
) -> None:
    served = serve()
    server.fail_with(status, times=-1)
    download = make_download(served.spec())
    assert run_to_end(qtbot, download) == DownloadState.FAILED
    assert words in message(download) and f"HTTP {status}" in message(download)
    assert len(server.requests_for(served.name)) == 1  # no retries
    assert list(models_dir.iterdir()) == []  # nothing was written: no empty .part either


def test_missing_file_on_the_server(
    qtbot: QtBot, server: FileServer, make_download: MakeDownload, models_dir: Path
) -> None:
    spec = DownloadSpec(url=server.url("absent.gguf"), filename="absent.gguf", size=10, md5=None)
    download = make_download(spec)
    assert run_to_end(qtbot, download) == DownloadState.FAILED
    assert "HTTP 404" in message(download) and server.url("absent.gguf") in message(download)


def test_persistent_server_error_gives_up_and_keeps_the_part(
    qtbot: QtBot, serve: Serve, server: FileServer, make_download: MakeDownload, models_dir: Path
) -> None:
    served = serve()
    server.drop_after(MB)
    server.fail_with(500, times=-1, skip=1)
    download = make_download(served.spec())
    states: list[DownloadState] = []
    download.state_changed.connect(states.append)
    assert run_to_end(qtbot, download) == DownloadState.FAILED
    assert states.count(DownloadState.RETRYING) == 3  # after the drop, and two 500s
    assert [r.status for r in ranged(server, served.name)] == [500, 500, 500]
    text = message(download)
    assert "failed after 4 attempt(s)" in text and "HTTP 500" in text and "resumed" in text
    part = models_dir / (served.name + ".part")
    assert part.read_bytes() == served.data[: download.received]
    assert not (models_dir / served.name).exists()


def test_connection_refused_gives_up_after_the_retries(
    qtbot: QtBot, make_download: MakeDownload, models_dir: Path
) -> None:
    url = f"http://127.0.0.1:{free_port()}/model.gguf"
    download = make_download(DownloadSpec(url=url, filename="model.gguf", size=10))
    states: list[DownloadState] = []
    download.state_changed.connect(states.append)
    assert run_to_end(qtbot, download) == DownloadState.FAILED
    assert states.count(DownloadState.RETRYING) == 3
    assert "failed after 4 attempt(s)" in message(download)
    assert "Check the network connection" in message(download)
    assert list(models_dir.iterdir()) == []


def test_not_enough_disk_space(
    qtbot: QtBot, serve: Serve, server: FileServer, make_download: MakeDownload, models_dir: Path
) -> None:
    served = serve()
    download = make_download(served.spec(), disk_margin_bytes=10**18)  # an exabyte kept free
    assert run_to_end(qtbot, download) == DownloadState.FAILED
    assert "not enough free disk space" in message(download)
    assert "1000000000.0 GB" in message(download)  # needed, in GB
    assert server.requests == []


def test_installed_model_is_not_overwritten(
    qtbot: QtBot, serve: Serve, server: FileServer, make_download: MakeDownload, models_dir: Path
) -> None:
    served = serve()
    models_dir.mkdir()
    (models_dir / served.name).write_bytes(b"mine")
    download = make_download(served.spec())
    assert run_to_end(qtbot, download) == DownloadState.FAILED
    assert "already installed" in message(download)
    assert (models_dir / served.name).read_bytes() == b"mine"
    assert server.requests == []


def test_one_file_is_not_downloaded_twice_at_once(
    qtbot: QtBot, serve: Serve, server: FileServer, make_download: MakeDownload, models_dir: Path
) -> None:
    served = serve()
    server.stall_after(MB, seconds=10)
    first = make_download(served.spec(), stall_timeout_s=30)
    first.start()
    qtbot.waitUntil(lambda: first.received == MB, timeout=10_000)
    second = make_download(served.spec())
    assert run_to_end(qtbot, second) == DownloadState.FAILED
    assert "already being downloaded" in message(second)
    second.cancel(keep_partial=False)  # must not delete the part the first one writes
    assert first.state == DownloadState.RUNNING
    assert (models_dir / (served.name + ".part")).stat().st_size == MB


# -- where a download may go ---------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "https://models.example.invalid/a.gguf",
        "http://127.0.0.1:8080/a.gguf",
        "http://localhost/a.gguf",
        "http://[::1]:9/a.gguf",
    ],
)
def test_allowed_urls(url: str) -> None:
    check_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://models.example.invalid/a.gguf",
        "http://127.0.0.1.example.invalid/a.gguf",
        "http://127.0.0.2/a.gguf",
        "ftp://models.example.invalid/a.gguf",
        "file:///etc/passwd",
        "https:///a.gguf",
        "models.example.invalid/a.gguf",
        "",
    ],
)
def test_refused_urls(url: str) -> None:
    with pytest.raises(DownloadError, match="secure connection"):
        check_url(url)


def test_plain_http_elsewhere_is_refused_before_connecting(
    qtbot: QtBot, make_download: MakeDownload, models_dir: Path
) -> None:
    spec = DownloadSpec(url="http://models.example.invalid/a.gguf", filename="a.gguf", size=10)
    download = make_download(spec)
    states: list[DownloadState] = []
    download.state_changed.connect(states.append)
    assert run_to_end(qtbot, download) == DownloadState.FAILED
    assert states == [DownloadState.FAILED]  # never RUNNING: no request was made
    assert "https://" in message(download) and spec.url in message(download)
    assert not models_dir.exists() or list(models_dir.iterdir()) == []


def test_redirect_to_plain_http_elsewhere_is_refused(
    qtbot: QtBot, server: FileServer, make_download: MakeDownload, models_dir: Path
) -> None:
    server.redirect("model.gguf", "http://models.example.invalid/model.gguf")
    download = make_download(DownloadSpec(url=server.url("model.gguf"), filename="model.gguf"))
    assert run_to_end(qtbot, download) == DownloadState.FAILED
    assert "not secure" in message(download)
    assert "http://models.example.invalid/model.gguf" in message(download)
    assert {(r.path, r.status) for r in server.requests} == {("model.gguf", 302)}
    assert list(models_dir.iterdir()) == []


@pytest.mark.parametrize("absolute", [True, False])
def test_redirect_on_this_computer_is_followed(
    qtbot: QtBot,
    serve: Serve,
    server: FileServer,
    make_download: MakeDownload,
    models_dir: Path,
    absolute: bool,
) -> None:
    served = serve("real.gguf")
    target = served.url if absolute else "/real.gguf"
    server.redirect("alias.gguf", target)
    download = make_download(served.spec(url=server.url("alias.gguf")))
    assert run_to_end(qtbot, download) == DownloadState.FINISHED
    assert_installed(models_dir, served)
    assert {(r.path, r.status) for r in server.requests} == {
        ("alias.gguf", 302),
        ("real.gguf", 200),
    }
    assert len(server.requests_for("real.gguf")) == 1


def test_resume_request_follows_the_redirect_with_its_range(
    qtbot: QtBot, serve: Serve, server: FileServer, make_download: MakeDownload, models_dir: Path
) -> None:
    served = serve("real.gguf")
    server.redirect("alias.gguf", "/real.gguf")
    server.drop_after(MB, path="real.gguf")
    download = make_download(served.spec(url=server.url("alias.gguf")))
    assert run_to_end(qtbot, download) == DownloadState.FINISHED
    assert_installed(models_dir, served)
    assert [r.range for r in ranged(server, "real.gguf")] == [f"bytes={MB}-"]
    assert [r.sent for r in ranged(server, "real.gguf")] == [len(served.data) - MB]


# -- specs ---------------------------------------------------------------------------------
def test_spec_from_catalog_entry() -> None:
    entry = CatalogEntry(
        name="Tiny",
        filename="tiny.gguf",
        filesize=123,
        md5sum="a" * 32,
        sha256sum="B" * 64,
        url="https://models.example.invalid/tiny.gguf",
    )
    spec = DownloadSpec.from_entry(entry)
    assert spec == DownloadSpec(
        url="https://models.example.invalid/tiny.gguf",
        filename="tiny.gguf",
        size=123,
        md5="a" * 32,
        sha256="b" * 64,
    )
    with pytest.raises(DownloadError, match="no download address for 'Tiny'"):
        DownloadSpec.from_entry(CatalogEntry(name="Tiny", filename="tiny.gguf"))


@pytest.mark.parametrize("name", ["", ".hidden.gguf", "../up.gguf", "a/b.gguf", "a\\b.gguf"])
def test_spec_refuses_names_that_are_not_plain(name: str) -> None:
    with pytest.raises(DownloadError, match="not a plain file name"):
        DownloadSpec(url="https://models.example.invalid/x", filename=name)


def test_spec_refuses_malformed_checksums() -> None:
    with pytest.raises(DownloadError, match="MD5 checksum"):
        DownloadSpec(url="https://models.example.invalid/x", filename="x.gguf", md5="abc")


def test_partial_downloads_lists_only_model_parts(tmp_path: Path) -> None:
    for name in ("b.gguf.part", "a.gguf.part", "notes.txt.part", "c.gguf"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "d.gguf.part").mkdir()
    assert partial_downloads(tmp_path) == [tmp_path / "a.gguf.part", tmp_path / "b.gguf.part"]
    assert partial_downloads(tmp_path / "missing") == []

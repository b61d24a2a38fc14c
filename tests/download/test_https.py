"""HTTPS downloads: certificates are always checked, and never downgraded to plain http.

The server is the same local test server, wrapped in TLS with a certificate from a test
certificate authority made here. Trusting that authority (for one test) is how a clinic's
IT would add its own; the downloader itself has no switch to skip verification.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from certificates import make_certificates
from dlsupport import Served, ranged, run_to_end
from httpserver import FileServer
from PySide6.QtNetwork import QSslCertificate, QSslConfiguration
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from clinichat.models.download import Download
from clinichat.models.download_spec import DownloadState

MakeDownload = Callable[..., Download]
Serve = Callable[..., Served]


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[FileServer, bytes]]:
    """A local HTTPS file server and the PEM of the CA that signed its certificate."""
    ca_pem, cert_file, key_file = make_certificates(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    root = tmp_path / "served-tls"
    root.mkdir()
    with FileServer(root, tls=context) as server:
        yield server, ca_pem


@pytest.fixture
def trust(qapp: QApplication) -> Iterator[Callable[[bytes], None]]:
    """Add a CA to Qt's default TLS configuration for one test, as IT would system-wide."""
    before = QSslConfiguration.defaultConfiguration()

    def add(pem: bytes) -> None:
        config = QSslConfiguration.defaultConfiguration()
        config.addCaCertificate(QSslCertificate(pem))
        QSslConfiguration.setDefaultConfiguration(config)

    yield add
    QSslConfiguration.setDefaultConfiguration(before)


def _put(server: FileServer, name: str, data: bytes) -> str:
    (server.root / name).write_bytes(data)
    return server.url(name)


def test_https_with_a_trusted_certificate_downloads(
    qtbot: QtBot,
    tls_server: tuple[FileServer, bytes],
    trust: Callable[[bytes], None],
    serve: Serve,
    make_download: MakeDownload,
    models_dir: Path,
) -> None:
    server, ca_pem = tls_server
    trust(ca_pem)
    served = serve()  # on the plain server; copied to the TLS one
    url = _put(server, served.name, served.data)
    assert url.startswith("https://")
    server.drop_after(1_000_000)  # resuming works the same over TLS
    download = make_download(served.spec(url=url))
    assert run_to_end(qtbot, download) == DownloadState.FINISHED
    assert (models_dir / served.name).read_bytes() == served.data
    assert [r.range for r in ranged(server, served.name)] == ["bytes=1000000-"]


def test_https_with_an_untrusted_certificate_is_refused_at_once(
    qtbot: QtBot,
    tls_server: tuple[FileServer, bytes],
    serve: Serve,
    make_download: MakeDownload,
    models_dir: Path,
) -> None:
    server, _ca_pem = tls_server
    served = serve()
    download = make_download(served.spec(url=_put(server, served.name, served.data)))
    states: list[DownloadState] = []
    download.state_changed.connect(states.append)
    assert run_to_end(qtbot, download) == DownloadState.FAILED
    assert download.error is not None
    assert "could not be verified" in str(download.error)
    assert DownloadState.RETRYING not in states  # a certificate problem does not pass
    assert server.requests == []  # no request went over the unverified connection
    assert not (models_dir / served.name).exists()


def test_https_is_not_redirected_to_plain_http_even_locally(
    qtbot: QtBot,
    tls_server: tuple[FileServer, bytes],
    trust: Callable[[bytes], None],
    server: FileServer,
    serve: Serve,
    make_download: MakeDownload,
    models_dir: Path,
) -> None:
    tls, ca_pem = tls_server
    trust(ca_pem)
    served = serve()  # on the plain http server
    tls.redirect("model.gguf", served.url)
    download = make_download(served.spec(url=tls.url("model.gguf")))
    assert run_to_end(qtbot, download) == DownloadState.FAILED
    assert download.error is not None and "not secure" in str(download.error)
    assert {r.status for r in tls.requests} == {302}
    assert server.requests == []
    assert list(models_dir.iterdir()) == []

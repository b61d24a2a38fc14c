"""`clinichat server check` as IT runs it, against a real llama.cpp server on 127.0.0.1 and a
real TLS front with a test CA: exit 0 only when address, TLS, models and a streamed answer
all work; otherwise one plain line saying what is wrong."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest
import xllamacpp
from certificates import make_certificates
from cli import clinichat
from llama_server import TEST_API_KEY, FrontProxy, address_of

KEY = TEST_API_KEY
pytestmark = pytest.mark.slow


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "api-key"
    path.write_text(KEY + "\n")
    path.chmod(0o600)
    return path


def test_a_working_server_passes(server: xllamacpp.Server, key_file: Path, tmp_path: Path) -> None:
    checked = clinichat("--basedir", tmp_path, "server", "check", server.listening_address,
                        "--api-key-file", key_file)  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    lines = checked.stdout.splitlines()
    assert lines[0].startswith("address: http://127.0.0.1:")
    assert "this computer only" in lines[1] and lines[2].startswith("models: ")
    assert lines[3].startswith("answer: streamed ") and lines[-1].startswith("ok:")


def test_a_wrong_key_fails_in_plain_words(server: xllamacpp.Server, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong"
    wrong.write_text("not-the-key")
    wrong.chmod(0o600)
    checked = clinichat("--basedir", tmp_path, "server", "check", server.listening_address,
                        "--api-key-file", wrong)  # fmt: skip
    assert checked.returncode == 1
    assert "refused the access key (HTTP 401)" in checked.stderr
    assert "ok:" not in checked.stdout


def test_a_key_file_others_can_read_is_refused(
    server: xllamacpp.Server, key_file: Path, tmp_path: Path
) -> None:
    key_file.chmod(0o644)
    checked = clinichat("--basedir", tmp_path, "server", "check", server.listening_address,
                        "--api-key-file", key_file)  # fmt: skip
    assert checked.returncode == 2 and "may be read by other users" in checked.stderr
    assert checked.stdout == "", "nothing was tried"


def test_tls_is_checked_with_the_clinics_ca(
    server: xllamacpp.Server, key_file: Path, tmp_path: Path
) -> None:
    ca_pem, cert_file, server_key = make_certificates(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, server_key)
    proxy = FrontProxy(address_of(server), tls=context)
    ca_file = tmp_path / "clinic-ca.pem"
    ca_file.write_bytes(ca_pem)
    try:
        unverified = clinichat("--basedir", tmp_path, "server", "check", proxy.url,
                               "--api-key-file", key_file)  # fmt: skip
        verified = clinichat("--basedir", tmp_path, "server", "check", proxy.url,
                             "--api-key-file", key_file, "--ca-file", ca_file)  # fmt: skip
    finally:
        proxy.close()
    assert unverified.returncode == 1 and "could not be verified" in unverified.stderr
    assert verified.returncode == 0, verified.stderr
    assert "verified TLS" in verified.stdout


@pytest.mark.parametrize("url", ["http://192.0.2.10:8080", "https://user:pw@example.org"])
def test_an_address_clinichat_would_not_use_fails_before_connecting(
    url: str, tmp_path: Path
) -> None:
    checked = clinichat("--basedir", tmp_path, "server", "check", url)
    assert checked.returncode == 1 and "only sends questions to a server over a secure" in (
        checked.stderr
    )

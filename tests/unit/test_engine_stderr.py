"""The backend scan at import keeps gpt4all's CUDA noise out of stderr, and nothing else.

The C++ loader writes straight to file descriptor 2, so these tests write there too (capfd
reads the real descriptor, not sys.stderr).
"""

from __future__ import annotations

import os

import pytest
from gpt4all import _pyllmodel

from clinichat.llm.engines import gpt4all as engine

CUDA_LINES = (
    b"Failed to load libllamamodel-mainline-cuda-avxonly.so: dlopen: libcudart.so.11.0:"
    b" cannot open shared object file: No such file or directory\n",
    b"Failed to load llamamodel-mainline-cuda.dll: LoadLibraryExW failed with error 0x7e\n",
)
OTHER_LINES = (
    b"Not an implementation: libllamamodel-mainline-kompute.so\n",
    b"Failed to load libllamamodel-mainline-kompute.so: dlopen: libvulkan.so.1: missing\n",
)


@pytest.fixture
def noisy_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    """A scan that prints what the C++ loader can print, interleaved."""

    def scan() -> None:
        for cuda, other in zip(CUDA_LINES, OTHER_LINES, strict=True):
            os.write(2, cuda)
            os.write(2, other)

    monkeypatch.setattr(engine, "_scan_backends", scan)


@pytest.mark.usefixtures("noisy_scan")
def test_without_cuda_only_the_cuda_lines_are_dropped(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(_pyllmodel, "cuda_found", False)
    engine._scan_backends_quietly()
    out, err = capfd.readouterr()
    assert err == b"".join(OTHER_LINES).decode()
    assert out == ""


@pytest.mark.usefixtures("noisy_scan")
def test_with_a_cuda_runtime_a_failing_cuda_library_stays_visible(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(_pyllmodel, "cuda_found", True)
    engine._scan_backends_quietly()
    _out, err = capfd.readouterr()
    assert err == b"".join(c + o for c, o in zip(CUDA_LINES, OTHER_LINES, strict=True)).decode()


def test_stderr_works_normally_after_the_scan(capfd: pytest.CaptureFixture[str]) -> None:
    engine._scan_backends_quietly()  # the real scan, a second time: prints nothing
    os.write(2, b"after\n")
    _out, err = capfd.readouterr()
    assert err == "after\n"

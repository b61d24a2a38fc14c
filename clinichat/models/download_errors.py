"""What a failed model download tells the clinician or IT, one function per failure.

Each says what happened, what was kept, and what to do next, in one translatable sentence
(context "Downloads"). Kept apart from the transfer so its state machine reads as steps.
"""

from __future__ import annotations

from pathlib import Path

from clinichat.messages import QT_TRANSLATE_NOOP
from clinichat.models.download_spec import DownloadError


def _gb(size: float) -> str:
    return f"{size / 1e9:.1f}"


def _mb(size: float) -> str:
    return f"{size / 1e6:.1f}"


def already_installed(name: str) -> DownloadError:
    return DownloadError(
        QT_TRANSLATE_NOOP(
            "Downloads",
            "A model file named '{name}' is already installed. Remove it first if"
            " you want to download it again.",
        ),
        name=name,
    )


def installed_meanwhile(name: str) -> DownloadError:
    return DownloadError(
        QT_TRANSLATE_NOOP(
            "Downloads",
            "A model file named '{name}' was installed while this download ran; the"
            " download was discarded.",
        ),
        name=name,
    )


def already_downloading(name: str) -> DownloadError:
    return DownloadError(
        QT_TRANSLATE_NOOP("Downloads", "'{name}' is already being downloaded."), name=name
    )


def not_enough_space(name: str, needed: int, margin: int, free: int) -> DownloadError:
    return DownloadError(
        QT_TRANSLATE_NOOP(
            "Downloads",
            "There is not enough free disk space to download '{name}': it needs"
            " {needed} GB (including {margin} GB kept free for the system), and"
            " {free} GB is free.",
        ),
        name=name,
        needed=_gb(needed),
        margin=_gb(margin),
        free=_gb(free),
    )


def insecure_redirect(name: str, url: str) -> DownloadError:
    return DownloadError(
        QT_TRANSLATE_NOOP(
            "Downloads",
            "The server sent the download of '{name}' on to an address that is not"
            " secure ('{url}'), so ClinicChat stopped it. Ask IT to check the"
            " model's download address.",
        ),
        name=name,
        url=url,
    )


def unasked_part(name: str) -> DownloadError:
    return DownloadError(
        QT_TRANSLATE_NOOP(
            "Downloads",
            "The server answered the download of '{name}' with a part of the"
            " file that was not asked for, so ClinicChat stopped.",
        ),
        name=name,
    )


def cut_short() -> DownloadError:
    return DownloadError(
        QT_TRANSLATE_NOOP("Downloads", "The connection closed before the whole file arrived.")
    )


def unverified_tls(name: str, detail: str) -> DownloadError:
    return DownloadError(
        QT_TRANSLATE_NOOP(
            "Downloads",
            "The secure connection for '{name}' could not be verified ({detail})."
            " ClinicChat does not download from a server whose certificate it"
            " cannot check. If your network inspects secure traffic, IT must"
            " install its certificate on this computer.",
        ),
        name=name,
        detail=detail,
    )


def connection_failed(detail: str) -> DownloadError:
    return DownloadError(
        QT_TRANSLATE_NOOP("Downloads", "The connection failed ({detail})."), detail=detail
    )


def server_error(status: int) -> DownloadError:
    return DownloadError(
        QT_TRANSLATE_NOOP("Downloads", "The server reported an error (HTTP {status})."),
        status=status,
    )


def refused(status: int | None, name: str, url: str) -> DownloadError:
    """A refusal that another attempt cannot change (any 4xx, or no status at all)."""
    if status == 404 or status == 410:
        text = QT_TRANSLATE_NOOP(
            "Downloads",
            "The server does not have the file '{name}' (HTTP {status}). The download"
            " address in the catalog may be out of date: {url}",
        )
    elif status in (401, 403):
        text = QT_TRANSLATE_NOOP(
            "Downloads",
            "The server refused access to '{name}' (HTTP {status}). If your network"
            " needs a sign-in for downloads, ask IT.",
        )
    else:
        text = QT_TRANSLATE_NOOP(
            "Downloads", "The server refused the download of '{name}' (HTTP {status})."
        )
    return DownloadError(text, name=name, status=status, url=url)


def stalled(seconds: float) -> DownloadError:
    return DownloadError(
        QT_TRANSLATE_NOOP("Downloads", "No data arrived for {seconds} seconds."),
        seconds=f"{seconds:g}",
    )


def gave_up(reason: DownloadError, name: str, attempts: int, kept: int) -> DownloadError:
    """The last attempt's `reason`, after `attempts`; says whether `kept` bytes remain."""
    if kept > 0:
        text = QT_TRANSLATE_NOOP(
            "Downloads",
            "Downloading '{name}' failed after {attempts} attempt(s). {cause} The"
            " {done} MB downloaded so far are kept, so the download can be resumed later.",
        )
    else:
        text = QT_TRANSLATE_NOOP(
            "Downloads",
            "Downloading '{name}' failed after {attempts} attempt(s). {cause} Check the"
            " network connection and try again.",
        )
    return DownloadError(text, cause=reason, name=name, attempts=attempts, done=_mb(kept))


def checksum_mismatch(name: str, algorithm: str, got: str, expected: str) -> DownloadError:
    return DownloadError(
        QT_TRANSLATE_NOOP(
            "Downloads",
            "The downloaded file '{name}' is damaged or is not the published model: its"
            " {algorithm} checksum is {got}, but the catalog expects {expected}. The file"
            " was deleted; try the download again, and tell IT if this happens again.",
        ),
        name=name,
        algorithm=algorithm,
        got=got,
        expected=expected,
    )


def wrong_size(name: str, got: int, expected: int | None, *, offered: bool) -> DownloadError:
    """The file has `got` bytes, not `expected`: as `offered` by the server, or downloaded."""
    if offered:
        text = QT_TRANSLATE_NOOP(
            "Downloads",
            "The server offers a file of {got} bytes for '{name}', but the catalog"
            " expects {expected} bytes, so ClinicChat did not download it. The catalog or"
            " the download address may be out of date.",
        )
    else:
        text = QT_TRANSLATE_NOOP(
            "Downloads",
            "The downloaded file '{name}' has the wrong size: {got} bytes, but"
            " {expected} bytes were expected. The file was deleted; try the download"
            " again.",
        )
    return DownloadError(text, name=name, got=f"{got:,}", expected=f"{expected:,}")


def write_failed(part: Path, error: OSError, kept: int) -> DownloadError:
    if kept > 0:
        text = QT_TRANSLATE_NOOP(
            "Downloads",
            "ClinicChat could not write the model file '{file}' ({reason}). The {done} MB"
            " downloaded so far are kept: free some disk space (or ask IT about the"
            " folder's permissions) and resume the download.",
        )
    else:
        text = QT_TRANSLATE_NOOP(
            "Downloads",
            "ClinicChat could not write the model file '{file}' ({reason}). Free some"
            " disk space (or ask IT about the folder's permissions) and try again.",
        )
    return DownloadError(text, file=part, reason=error.strerror or error, done=_mb(kept))

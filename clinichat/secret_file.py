"""A secret (a passphrase, a server's access key) read from a file given on the command line.

A file that other users of the computer may read is refused, since anyone who can read it
has the secret; the reason says how to fix it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class SecretFileError(Exception):
    """The file cannot hold a secret; the message says why, in plain words."""


def read_secret_file(path: Path) -> str:
    """The file's first line; SecretFileError when others may read it or it cannot be read."""
    try:
        mode = path.stat().st_mode
        if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise SecretFileError(
                f"{path} may be read by other users; make it yours only (chmod 600 {path})"
            )
        return path.read_text(encoding="utf-8").rstrip("\r\n")
    except (OSError, UnicodeDecodeError) as error:
        raise SecretFileError(f"{path} cannot be read: {error}") from error

"""What the clinic's administrator allows: a system-wide file the clinician cannot change.

Sending questions to a server is the one thing ClinicChat does that takes patient text off
the PC, so IT can forbid it for every user of a computer with a file only an administrator
can write:

    {"version": 1, "allow_clinic_server": false}

or allow only the clinic's own server, so that no one can point ClinicChat anywhere else (a
cloud service, say), and set it up for everyone at once:

    {"version": 1, "clinic_server": {"url": "https://llm.clinic.example",
     "model": "medgemma-4b-it", "ca_file": "/etc/clinichat/clinic-ca.pem",
     "context": 8192, "parallel": 4}}

Only "url" is needed; what is left out stays each clinician's choice in the clinic-server
dialog, and the access key is always each clinician's own, in the keychain.

The file lives where a user cannot write, and not where an environment variable could move
it (XDG_CONFIG_DIRS on Linux is the user's to set): /etc/clinichat/policy.json on Linux,
/Library/Application Support/ClinicChat/policy.json on macOS, and ProgramData's
ClinicChat\\policy.json on Windows. No file allows everything. A file that cannot be read or
says something unexpected forbids the server (fail closed), and the reason is logged.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import platformdirs

from clinichat.config.schema import SettingError, option

_log = logging.getLogger(__name__)

FORMAT_VERSION: Final = 1
_KEYS: Final = frozenset({"version", "allow_clinic_server", "clinic_server"})
# What IT can fix of the clinic's server, and the setting each one stands for.
PINNABLE: Final = {
    "url": "server_url",
    "model": "server_model",
    "ca_file": "server_ca_file",
    "context": "server_context",
    "parallel": "server_parallel",
}


@dataclass(frozen=True)
class Policy:
    """`allow_clinic_server`: questions may go to a clinic's server. `problem`: why the
    policy file was not understood (the server is then forbidden). `server`: the clinic
    server's settings IT fixed (setting key -> value); with "server_url" among them, that
    is the only server questions can go to."""

    allow_clinic_server: bool = True
    problem: str | None = None
    server: Mapping[str, object] = field(default_factory=dict)


def policy_path() -> Path:
    if sys.platform.startswith("linux"):
        return Path("/etc/clinichat/policy.json")
    if sys.platform == "darwin":
        return Path("/Library/Application Support/ClinicChat/policy.json")
    return Path(platformdirs.site_config_dir("ClinicChat", appauthor=False)) / "policy.json"


def load_policy(path: Path | None = None) -> Policy:
    """The policy in `path` (default: this system's policy file)."""
    path = path or policy_path()
    try:
        raw = json.loads(path.read_bytes())
    except FileNotFoundError:
        return Policy()
    except (OSError, ValueError) as error:
        return _refused(path, f"unreadable ({error})")
    if not isinstance(raw, dict):
        return _refused(path, "not a JSON object")
    unknown = sorted(set(raw) - _KEYS)
    if raw.get("version") != FORMAT_VERSION:
        return _refused(path, f"version {raw.get('version')!r} is not {FORMAT_VERSION}")
    allow = raw.get("allow_clinic_server", True)
    if not isinstance(allow, bool):
        return _refused(path, "allow_clinic_server must be true or false")
    if unknown:
        return _refused(path, f"unknown keys {', '.join(map(str, unknown))}")
    if "clinic_server" not in raw:
        return Policy(allow_clinic_server=allow)
    server = _pinned(raw["clinic_server"])
    if isinstance(server, str):
        return _refused(path, f"clinic_server: {server}")
    return Policy(allow_clinic_server=allow, server=server)


def _pinned(raw: object) -> dict[str, object] | str:
    """The settings `raw` fixes, or why it cannot be used."""
    if not isinstance(raw, dict):
        return "not a JSON object"
    unknown = sorted(set(raw) - set(PINNABLE))
    if unknown:
        return f"unknown keys {', '.join(map(str, unknown))}"
    if not isinstance(raw.get("url"), str) or not raw["url"]:
        return "url is missing"
    pinned: dict[str, object] = {}
    for name, value in raw.items():
        try:
            pinned[PINNABLE[name]] = option(PINNABLE[name]).validate(value)
        except SettingError:
            return f"{name}: {value!r} cannot be used"
    return pinned


def _refused(path: Path, why: str) -> Policy:
    problem = f"{path}: {why}; the clinic's server is not allowed"
    _log.warning("policy file %s", problem)
    return Policy(allow_clinic_server=False, problem=problem)

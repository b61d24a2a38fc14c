"""Verification records: the catalog's checksum, or the recorded one after an alias."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from clinichat.models.catalog import CatalogEntry
from clinichat.models.verify import (
    Verdict,
    describe,
    record_path,
    record_unchecked,
    record_verified,
    status,
    verify,
)


def entry_for(data: bytes, **changes: object) -> CatalogEntry:
    fields: dict[str, object] = {
        "name": "m",
        "filename": "m.gguf",
        "md5sum": hashlib.md5(data).hexdigest(),
    }
    fields.update(changes)
    return CatalogEntry(**fields)  # type: ignore[arg-type]


def test_matching_file_is_verified_and_recorded(tmp_path: Path) -> None:
    data = os.urandom(5_000_000)
    path = tmp_path / "m.gguf"
    path.write_bytes(data)
    entry = entry_for(data)
    assert status(path, entry).verdict is Verdict.UNVERIFIED
    seen: list[int] = []
    check = verify(path, entry, lambda done, total: seen.append(done))
    assert check.verdict is Verdict.VERIFIED and check.algorithm == "md5"
    assert seen[-1] == len(data)
    assert status(path, entry).verdict is Verdict.VERIFIED
    assert record_path(path).exists()


def test_sha256_is_preferred(tmp_path: Path) -> None:
    data = b"model bytes"
    path = tmp_path / "m.gguf"
    path.write_bytes(data)
    entry = entry_for(data, md5sum="0" * 32, sha256sum=hashlib.sha256(data).hexdigest())
    check = verify(path, entry)
    assert (check.verdict, check.algorithm) == (Verdict.VERIFIED, "sha256")


def test_changed_file_is_noticed_cheaply_then_proved_by_hashing(tmp_path: Path) -> None:
    data = os.urandom(100_000)
    path = tmp_path / "m.gguf"
    path.write_bytes(data)
    entry = entry_for(data)
    verify(path, entry)
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    assert status(path, entry).verdict is Verdict.CHANGED
    assert verify(path, entry).verdict is Verdict.MISMATCH


def test_recorded_digest_accepts_an_aliased_file(tmp_path: Path) -> None:
    original = os.urandom(10_000)
    path = tmp_path / "m.gguf"
    path.write_bytes(original[:100] + b"refact" + original[106:])
    entry = entry_for(original)
    assert verify(path, entry).verdict is Verdict.MISMATCH, "no record: the alias is a change"
    record_verified(path, "md5", hashlib.md5(path.read_bytes()).hexdigest())
    assert verify(path, entry).verdict is Verdict.VERIFIED


def test_imported_file_has_nothing_to_check_against(tmp_path: Path) -> None:
    path = tmp_path / "mine.gguf"
    path.write_bytes(b"x")
    assert status(path, None).verdict is Verdict.NO_CHECKSUM
    assert verify(path, None).verdict is Verdict.NO_CHECKSUM


def test_unchecked_record_is_never_verified(tmp_path: Path) -> None:
    path = tmp_path / "m.gguf"
    path.write_bytes(b"downloaded without a checksum")
    entry = entry_for(b"", md5sum=None)
    record_unchecked(path)
    assert json.loads(record_path(path).read_text())["verified"] is False
    assert status(path, entry).verdict is Verdict.NO_CHECKSUM
    check = verify(path, entry)
    assert check.verdict is Verdict.NO_CHECKSUM and check.digest is not None
    assert describe(check, entry) == "not verified (the catalog gives no checksum)"
    assert describe(check, None) == "not verified (no published checksum)"


def test_old_record_for_an_entry_without_checksum_is_not_trusted(tmp_path: Path) -> None:
    """Records from before the "verified" field: the old code wrote them for unchecked files."""
    data = b"old download"
    path = tmp_path / "m.gguf"
    path.write_bytes(data)
    record_verified(path, "md5", hashlib.md5(data).hexdigest())
    record = json.loads(record_path(path).read_text())
    del record["verified"]
    record_path(path).write_text(json.dumps(record))
    no_sum = entry_for(data, md5sum=None)
    assert status(path, no_sum).verdict is Verdict.NO_CHECKSUM
    assert verify(path, no_sum).verdict is Verdict.NO_CHECKSUM
    # Without a catalog entry (the starter, checked against its pinned hash) it still counts.
    assert status(path, None).verdict is Verdict.VERIFIED
    assert verify(path, entry_for(data)).verdict is Verdict.VERIFIED


def test_catalog_that_later_gains_a_checksum_asks_for_a_check(tmp_path: Path) -> None:
    data = b"model"
    path = tmp_path / "m.gguf"
    path.write_bytes(data)
    record_unchecked(path)
    assert status(path, entry_for(data)).verdict is Verdict.UNVERIFIED
    assert verify(path, entry_for(data)).verdict is Verdict.VERIFIED


def test_a_damaged_file_stays_reported_until_it_is_replaced(tmp_path: Path) -> None:
    """The Models dialog, reopened, must still say what the last check found (issue 11)."""
    data = os.urandom(100_000)
    path = tmp_path / "m.gguf"
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    entry = entry_for(data)
    found = verify(path, entry)
    assert found.verdict is Verdict.MISMATCH and found.when
    assert status(path, entry) == found, "read back from the record, without hashing"
    assert json.loads(record_path(path).read_text())["verified"] is False
    path.write_bytes(data)  # replaced by a good copy: nothing known about it yet
    assert status(path, entry).verdict is Verdict.UNVERIFIED
    assert verify(path, entry).verdict is Verdict.VERIFIED

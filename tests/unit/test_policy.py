"""The administrator's policy file: no file allows the server; a file that forbids it, or
one that cannot be understood, forbids it (fail closed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinichat.remote.policy import Policy, load_policy, policy_path


def test_no_file_allows_the_clinic_server(tmp_path: Path) -> None:
    assert load_policy(tmp_path / "policy.json") == Policy(allow_clinic_server=True)


def test_the_administrator_can_forbid_it(tmp_path: Path) -> None:
    path = tmp_path / "policy.json"
    path.write_text('{"version": 1, "allow_clinic_server": false}')
    assert load_policy(path) == Policy(allow_clinic_server=False)
    path.write_text('{"version": 1, "allow_clinic_server": true}')
    assert load_policy(path).allow_clinic_server


def test_the_administrator_can_fix_the_only_server(tmp_path: Path) -> None:
    path = tmp_path / "policy.json"
    path.write_text(
        '{"version": 1, "clinic_server": {"url": "https://llm.clinic.example",'
        ' "ca_file": "/etc/clinichat/ca.pem", "context": 8192, "parallel": 2}}'
    )
    policy = load_policy(path)
    assert policy.allow_clinic_server and policy.problem is None
    assert policy.server == {
        "server_url": "https://llm.clinic.example",
        "server_ca_file": "/etc/clinichat/ca.pem",
        "server_context": 8192,
        "server_parallel": 2,
    }
    path.write_text(
        '{"version": 1, "allow_clinic_server": false, "clinic_server": {"url": "https://a.b"}}'
    )
    assert not load_policy(path).allow_clinic_server, "forbidding wins"


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("{not json", "unreadable"),
        ("[1, 2]", "not a JSON object"),
        ('{"allow_clinic_server": true}', "version"),
        ('{"version": 2, "allow_clinic_server": true}', "version"),
        ('{"version": 1, "allow_clinic_server": "no"}', "true or false"),
        ('{"version": 1, "allow_clinic_servers": true}', "unknown keys allow_clinic_servers"),
        ('{"version": 1, "clinic_server": "https://a.b"}', "clinic_server: not a JSON object"),
        ('{"version": 1, "clinic_server": {"model": "m"}}', "url is missing"),
        ('{"version": 1, "clinic_server": {"url": "https://a.b", "key": "k"}}', "unknown keys key"),
        ('{"version": 1, "clinic_server": {"url": "https://a.b", "context": 10}}', "context: 10"),
        ('{"version": 1, "clinic_server": {"url": "https://a.b", "parallel": "4"}}', "parallel"),
        ('{"version": 1, "clinic_server": {"url": "https://a.b\\nX"}}', "url"),
    ],
)
def test_a_file_that_cannot_be_understood_forbids_the_server(
    tmp_path: Path, content: str, why: str
) -> None:
    path = tmp_path / "policy.json"
    path.write_text(content)
    policy = load_policy(path)
    assert not policy.allow_clinic_server
    assert policy.problem is not None and why in policy.problem and str(path) in policy.problem


def test_an_unreadable_file_forbids_the_server(tmp_path: Path) -> None:
    folder = tmp_path / "policy.json"
    folder.mkdir()  # reading a folder fails like a file the user may not read
    assert not load_policy(folder).allow_clinic_server


def test_the_policy_lives_where_only_an_administrator_writes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_CONFIG_DIRS", "/home/someone/own-policy")
    assert policy_path() == Path("/etc/clinichat/policy.json")

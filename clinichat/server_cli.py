"""`clinichat server check URL`: is the clinic's inference server ready for ClinicChat?

For IT, after setting up llama-server or vLLM behind TLS: checks, in order, that the
address is one ClinicChat will use (https, or http to this computer), that the server
answers over a verified connection, that it lists its models (and the one asked for), and
that it streams one short answer. Each step prints one line; the first that fails says what
is wrong in plain words and the exit status is 1. Exit 0 only when every step worked.
The access key comes from a file (`--api-key-file`, refused if others may read it), never
from the command line, where other users could see it.
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from clinichat.remote.client import OpenAIClient
from clinichat.remote.errors import RemoteError
from clinichat.remote.server import RemoteServer
from clinichat.secret_file import SecretFileError, read_secret_file

QUESTION = "Reply with one word: ready."
ANSWER_TOKENS = 16


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    server = commands.add_parser("server", help="check a clinic's inference server")
    actions = server.add_subparsers(dest="action", metavar="action", required=True)
    check = actions.add_parser(
        "check", help="check the address, TLS, the model list and one streamed answer"
    )
    check.add_argument("url", help="the server's address, e.g. https://llm.clinic.example:8443")
    check.add_argument(
        "--api-key-file", type=Path, metavar="FILE", help="a file holding the access key"
    )
    check.add_argument(
        "--ca-file", type=Path, metavar="FILE", help="the clinic's CA certificate (PEM)"
    )
    check.add_argument("--model", help="the model to try (default: the first one listed)")


def run(args: argparse.Namespace) -> int:
    try:
        key = read_secret_file(args.api_key_file) if args.api_key_file else ""
    except SecretFileError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    try:
        return _check(RemoteServer(args.url, key, args.ca_file), args.model)
    finally:
        del app


def _check(server: RemoteServer, wanted: str | None) -> int:
    try:
        client = OpenAIClient(server)
        print(f"address: {client.url} (questions would be sent there)")
        models = client.models()
        secure = "verified TLS" if client.url.startswith("https:") else "this computer only"
        print(f"connection: answered ({secure})")
        if not models:
            print("models: the server lists none", file=sys.stderr)
            return 1
        print(f"models: {', '.join(models)}")
        model = wanted or models[0]
        if model not in models:
            print(f"models: the server does not list {model!r}", file=sys.stderr)
            return 1
        answer = client.chat(
            {
                "model": model,
                "messages": [{"role": "user", "content": QUESTION}],
                "max_tokens": ANSWER_TOKENS,
                "temperature": 0,
            },
            lambda _piece: None,
            threading.Event(),
            on_wait=lambda attempt, seconds: print(
                f"answer: the server is busy; trying again in {seconds:.0f} s (attempt"
                f" {attempt + 1})",
                file=sys.stderr,
            ),
        )
    except RemoteError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if not answer.text.strip():
        print("answer: the server streamed an empty answer", file=sys.stderr)
        return 1
    first = f"{answer.first_token_s:.2f} s" if answer.first_token_s is not None else "-"
    print(f"answer: streamed {answer.tokens} tokens from {model}, first after {first}")
    print("ok: ClinicChat can use this server")
    return 0

"""A clinic's server as the rest of the app knows it: plain data, no Qt, so a `ModelSpec`
can name one and the settings, the engine and the command line share it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RemoteServer:
    """Where a clinic's server is and how to reach it: its address as IT gave it (with or
    without /v1), the access key ("" for none) and the clinic's CA file, if any."""

    url: str
    api_key: str = ""
    ca_file: Path | None = None

    def __repr__(self) -> str:
        """Never the key: a spec or a server may end up in a log line or a traceback."""
        key = "set" if self.api_key else "none"
        return f"RemoteServer(url={self.url!r}, api_key={key}, ca_file={self.ca_file!r})"


def shown_model(model_id: str) -> str:
    """A server's model as the model list names it.

    llama-server names its model by the file's path on the server ("/srv/models/x.gguf"),
    vLLM by its repository ("google/medgemma-4b-it"): the last part, without ".gguf", is
    what a clinician recognises. Questions still name the model by its full id.
    """
    name = model_id.replace("\\", "/").rstrip("/").rpartition("/")[2]
    return name.removesuffix(".gguf") or model_id

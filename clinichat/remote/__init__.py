"""A clinic's own inference server (llama.cpp's llama-server, vLLM, LocalAI, Ollama) as an
engine: OpenAI-compatible chat completions over a checked TLS connection."""

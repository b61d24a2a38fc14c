"""Model files: the catalog, GGUF inspection, the installed-model registry, the starter model."""

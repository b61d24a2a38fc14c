"""The clinic's own documents (protocols, guidelines, formularies), read and indexed locally.

`extract` reads a file's text page by page, `chunking` cuts it into passages, `library`
keeps them searchable inside the encrypted history database (`schema`).
"""

"""Catalog descriptions are untrusted HTML: only harmless formatting survives."""

from __future__ import annotations

from clinichat.ui.safe_html import sanitise


def test_formatting_is_kept_and_attributes_dropped() -> None:
    out = sanitise('<ul><li style="color:red" onclick="x()"><strong>Fast</strong></li></ul>')
    assert out == "<ul><li><strong>Fast</strong></li></ul>"


def test_scripts_styles_and_images_are_removed_with_their_content() -> None:
    out = sanitise(
        "A<script>alert('x')</script>B<style>p{}</style>C"
        '<img src="https://tracker.invalid/p.gif">D<svg><a href="x">E</a></svg>F'
    )
    assert out == "ABCDF"


def test_links_become_text_with_the_address() -> None:
    out = sanitise('See <a href="https://example.invalid/m?a=1&b=2">the page</a>.')
    assert out == "See the page (https://example.invalid/m?a=1&amp;b=2)."


def test_text_is_escaped() -> None:
    assert sanitise("1 &lt; 2 &amp; <b>x</b> <unknown>y</unknown>") == "1 &lt; 2 &amp; <b>x</b> y"

"""Helpers for the per-chapter tests (tests/test_chapter_NN.py): a chapter's text and figures."""

from __future__ import annotations

from pathlib import Path

from leaks import html_text, squeeze
from pages import parse


def text(built_site: Path, chapter: str) -> str:
    """What a reader sees on ``book/<chapter>.html``, whitespace squeezed."""
    return squeeze(html_text(built_site / "book" / f"{chapter}.html")).replace("\u2019", "'")  # typographic apostrophes


def figures(built_site: Path, chapter: str) -> int:
    return sum(tag == "img" for tag, _, _ in parse(built_site / "book" / f"{chapter}.html").links)


def missing(page_text: str, expected: list[str]) -> list[str]:
    return [item for item in expected if item not in page_text]

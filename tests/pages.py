"""What the site should contain, read from the sources: the chapters of ``_toc.yml``, their labs
(``grader.labs.all_labs()``), and the links of a built page.

Written independently of ``book/_ext/course_tables.py`` (which generates the tables), so the tests
catch that extension going wrong as well as a chapter or a lab going missing.
"""

from __future__ import annotations

import glob
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from grader.labs import REPO, Lab, all_labs


def _files(entry) -> list[str]:
    """Every page of a _toc.yml entry and of the entries below it; globs expanded."""
    found = []
    if isinstance(entry, dict):
        if "file" in entry:
            found.append(str(entry["file"]).removesuffix(".md"))
        if "glob" in entry:
            found += sorted(str(Path(p).relative_to(REPO).with_suffix("")) for p in glob.glob(str(REPO / f"{entry['glob']}.md")))
        for key in ("parts", "chapters", "sections"):
            for child in entry.get(key) or []:
                found += _files(child)
    return found


def toc_pages() -> list[str]:
    """Every page of the site, as source paths without suffix (``book/intro``, ``data/sets/digits``)."""
    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    return _files(toc)


@dataclass(frozen=True)
class Chapter:
    doc: str  # "book/01-perceptrons-mlps"

    @property
    def number(self) -> str:
        return Path(self.doc).name[:2]

    @property
    def html(self) -> str:
        return f"{self.doc}.html"

    @property
    def lab(self) -> Lab | None:
        return next((lab for lab in all_labs() if lab.number == self.number), None)

    def __str__(self) -> str:
        return self.doc


def chapters() -> list[Chapter]:
    """The chapters of the table of contents: ``book/NN-slug`` pages, in order."""
    return [Chapter(doc) for doc in toc_pages() if re.fullmatch(r"book/\d\d-[\w-]+", doc)]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, dict]] = []  # (tag, url, attributes)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        for name in ("href", "src"):
            if attributes.get(name) is not None:
                self.links.append((tag, attributes[name], attributes))


def parse(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(errors="replace"))
    return parser


def is_internal(url: str) -> bool:
    scheme = urlsplit(url).scheme
    return scheme in ("", "file") and not url.startswith(("mailto:", "javascript:", "data:"))


def resolve(page: Path, url: str) -> tuple[Path, str]:
    """The file a relative link of ``page`` points to, and its fragment."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        return Path(unquote(parts.path)), parts.fragment
    target = (page.parent / unquote(parts.path)).resolve() if parts.path else page.resolve()
    return target, parts.fragment


def broken_links(page: Path, site: Path) -> list[str]:
    """Internal links and images of a built page whose file, or anchor in it, does not exist."""
    problems, ids = [], {}
    for tag, url, _ in parse(page).links:
        if not url or not is_internal(url):
            continue
        target, fragment = resolve(page, url)
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            problems.append(f"<{tag}> {url}: no such file")
            continue
        if site.resolve() not in target.parents and target != site.resolve():
            problems.append(f"<{tag}> {url}: outside the site")
            continue
        if fragment and target.suffix == ".html":
            if target not in ids:
                ids[target] = parse(target).ids
            if fragment not in ids[target]:
                problems.append(f"<{tag}> {url}: no anchor #{fragment} in {target.name}")
    return problems


def links_to(page: Path, suffix: str) -> list[Path]:
    """Files that ``<a>`` links of a built page point to whose path ends with ``suffix``."""
    found = []
    for tag, url, _ in parse(page).links:
        if tag == "a" and is_internal(url):
            target, _ = resolve(page, url)
            if str(target).endswith(suffix):
                found.append(target)
    return found

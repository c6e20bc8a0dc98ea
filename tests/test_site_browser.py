"""Each chapter rendered in headless Chromium, as a reader's browser shows it, offline.

The browser resolves every link and loads every image itself, so this catches what reading the
HTML files cannot: an image that is present but does not decode, a link that a base URL or a
script sends elsewhere, math that MathJax fails to typeset. It fails on a broken internal link,
a missing image, or a chapter page without a link to its lab notebook.

Playwright (pinned in requirements.txt) drives Debian's Chromium (``make browser`` installs it);
it never downloads a browser of its own. Without either, the test is skipped.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from pages import chapters, parse

pytestmark = pytest.mark.slow
CHAPTERS = chapters()


@pytest.fixture(scope="module")
def browser(chromium):
    # no network: every request that is not a file of the site fails
    context = chromium.new_context()
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://") else route.abort())
    yield context
    context.close()


def _rendered(context, page_path: Path) -> dict:
    """Open a page, wait for MathJax, and report what the browser made of it."""
    page = context.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(page_path.as_uri(), wait_until="load")
    page.wait_for_function("() => !window.MathJax || (window.MathJax.startup && window.MathJax.startup.promise)")
    page.evaluate("() => window.MathJax && window.MathJax.startup ? window.MathJax.startup.promise : null")
    report = page.evaluate("""() => ({
        title: document.title,
        images: Array.from(document.images).map(i => ({src: i.src, ok: i.complete && i.naturalWidth > 0})),
        links: Array.from(document.querySelectorAll('a[href], link[href]')).map(a => a.href),
        mathSource: document.querySelectorAll('.math').length,
        mathRendered: document.querySelectorAll('mjx-container').length,
        mathErrors: document.querySelectorAll('mjx-merror').length,
    })""")
    page.close()
    report["failed"] = failed
    return report


@pytest.mark.parametrize("chapter", CHAPTERS, ids=str)
def test_chapter_renders_with_its_images_links_math_and_lab(browser, built_site, chapter):
    report = _rendered(browser, built_site / chapter.html)
    assert report["title"], f"{chapter.html}: no title"

    assert report["images"], f"{chapter.html}: no image"
    broken = [image["src"] for image in report["images"] if not image["ok"]]
    assert not broken, f"{chapter.html}: images that do not load: {broken}"

    site = built_site.resolve()
    problems, anchors = [], {}
    for url in report["links"]:
        parts = urlsplit(url)
        if parts.scheme != "file":
            continue  # external links are not followed (the site needs no network)
        target = Path(unquote(parts.path))
        if site not in target.parents:
            problems.append(f"{url}: outside the site")
        elif not target.is_file():
            problems.append(f"{url}: no such file")
        elif parts.fragment and target.suffix == ".html":
            anchors.setdefault(target, parse(target).ids)
            if parts.fragment not in anchors[target]:
                problems.append(f"{url}: no anchor #{parts.fragment}")
    assert not problems, f"{chapter.html}: broken links:\n" + "\n".join(problems)
    assert not report["failed"], f"{chapter.html}: requests that failed: {report['failed'][:5]}"

    lab = chapter.lab
    assert lab is not None, f"{chapter} has no lab"
    lab_links = [url for url in report["links"] if urlsplit(url).scheme == "file" and unquote(urlsplit(url).path).endswith(f"/{lab.notebook_name}")]
    assert lab_links, f"{chapter.html}: no link to its lab notebook {lab.notebook_name}"

    assert report["mathSource"] == 0 or report["mathRendered"] >= report["mathSource"], \
        f"{chapter.html}: MathJax typeset {report['mathRendered']} of {report['mathSource']} formulas"
    assert report["mathErrors"] == 0, f"{chapter.html}: {report['mathErrors']} formulas with MathJax errors"

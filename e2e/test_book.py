"""The course as a book (book/build.py: Sphinx, MyST-NB, sphinx-book-theme), built once and read in Chromium.

The build runs as `./rnnlab start --html` runs it, with --strict (a Sphinx warning, such as a link between lessons
that resolves to nothing, fails it) and, where this runs as root, without a network (unshare -n), which proves
that nothing is downloaded at build time. Then headless Chromium (Debian's chromium and chromium-driver, driven by
Selenium, as in test_browser.py) opens the book from file:// and

- walks it with the "next" links from the landing page: the order is the table of contents' (lessons, the
  assignments, the library's map) and every page there is reached; on each page every <img> has loaded
  (naturalWidth > 0), there are as many chart PNGs and SVG figures as the stored notebook holds, every HTML
  output (tables, matrices, TextHeat), stream and equation is there, MathJax typeset every equation (no raw
  `$$`, `$x$`, `\\(`, `\\[` or `\\begin{` left in the text, no TeX error), nothing was fetched from outside
  the book and the console logged no error;
- every page's "previous" link points at the page before it, and clicking it from the last page steps back;
- searches, through the search box, for a word that one lesson holds and finds that lesson.

Screenshots go to e2e/artifacts/book-*.png.

    .venv/bin/python -m pytest e2e/test_book.py
"""
import html.parser
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
ARTIFACTS = ROOT / "e2e" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
BUILD_TIMEOUT = 300
# A word of one lesson's prose that the search must find, and the lesson it must find it in.
SEARCH_WORD, SEARCH_LESSON = "Mackey", "04-remedies-for-vanishing"


def log(msg):
    print(f"  {msg}", flush=True)


def offline_prefix():
    """`unshare -n` (a network namespace with no interface up) where this may create one (root), else nothing."""
    if os.geteuid() == 0 and shutil.which("unshare") and \
            subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0:
        return ["unshare", "-n"]
    return []


@pytest.fixture(scope="module")
def book():
    """The book, built once into a scratch folder; the build's result is checked by its own test."""
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="rnnlab-book-test."))
    out = scratch / "site"
    offline = offline_prefix()
    started = time.monotonic()
    build = subprocess.run([*offline, sys.executable, str(ROOT / "book" / "build.py"), str(out), "--strict"],
                           capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    log(f"book built in {time.monotonic() - started:.1f} s, {'without a network' if offline else 'with the network'}"
        f" (exit {build.returncode})")
    yield {"out": out, "build": build, "offline": bool(offline)}
    shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture(scope="module")
def browser(book):
    for p in (CHROMIUM, CHROMEDRIVER):
        if not os.access(p, os.X_OK):
            pytest.fail(f"{p} is missing: apt-get install chromium chromium-driver (./rnnlab test installs them)")
    if book["build"].returncode != 0:
        pytest.fail("the book did not build (see test_the_book_builds_offline_with_no_warning)")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--hide-scrollbars", "--window-size=1280,900"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


# ------------------------------------------------------------------------------------------ what the book must hold

def text_of(source):
    return "".join(source) if isinstance(source, list) else source


def notebook_for(page):
    """The stored notebook a page of the book shows: lessons/X.html -> notebooks/X.ipynb (None for other pages)."""
    if page.startswith("lessons/") and page.endswith(".html"):
        path = NOTEBOOKS / (page[len("lessons/"):-len(".html")] + ".ipynb")
        return path if path.exists() else None
    return None


def stored(path):
    """What a page must show of its notebook: chart PNGs, SVG figures, HTML outputs and their tables, streams,
    display equations."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    counts = dict(pngs=0, figures=0, html=0, tables=0, streams=0, display_math=0)
    for cell in nb["cells"]:
        source = text_of(cell["source"])
        if cell["cell_type"] == "markdown":
            counts["figures"] += source.count("data:image/svg+xml")
            counts["display_math"] += source.count("$$") // 2
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            counts["pngs"] += "image/png" in data
            if "text/html" in data:
                counts["html"] += 1
                counts["tables"] += text_of(data["text/html"]).count("<table")
            counts["streams"] += output["output_type"] == "stream"
    return counts


def table_of_contents():
    """The pages in reading order, as book/index.md's toctrees list them."""
    lessons = [f"lessons/{p.stem}.html" for p in sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))]
    assignments = [f"lessons/assignments/{p.stem}.html" for p in sorted((NOTEBOOKS / "assignments").glob("*.ipynb"))]
    return ["index.html", *lessons, "assignments.html", *assignments, "lib/README.html"]


# ------------------------------------------------------------------------------------------ what a page shows

PAGE_STATE = r"""
const done = arguments[arguments.length - 1];
const typeset = (window.MathJax && MathJax.startup && MathJax.startup.promise) || Promise.resolve();
typeset.then(function () {
  const article = document.querySelector('article.bd-article') || document.body;
  const images = Array.from(document.images);
  const raw = [];
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {acceptNode: function (n) {
    return n.parentElement.closest('pre, code, script, style, textarea, mjx-container')
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT; }});
  while (walker.nextNode()) {
    const m = walker.currentNode.nodeValue.match(/\$\$|\$[^\s$][^$]*\$|\\\(|\\\)|\\\[|\\\]|\\begin\{/);
    if (m) raw.push(walker.currentNode.nodeValue.trim().slice(0, 80));
  }
  done({
    title: document.title,
    images: images.length,
    broken: images.filter(i => !(i.complete && i.naturalWidth > 0))
                  .map(i => (i.getAttribute('src') || '').slice(0, 60)),
    pngs: images.filter(i => /_images\/[^/]+\.png$/.test(i.getAttribute('src') || '')).length,
    figures: images.filter(i => (i.getAttribute('src') || '').startsWith('data:image/svg+xml')).length,
    html: article.querySelectorAll('.cell_output .output.text_html').length,
    tables: article.querySelectorAll('.cell_output .output.text_html table').length,
    streams: article.querySelectorAll('.cell_output .output.stream').length,
    math: article.querySelectorAll('.math').length,
    untypeset: Array.from(article.querySelectorAll('.math')).filter(e => !e.querySelector('mjx-container')).length,
    display: article.querySelectorAll('mjx-container[display="true"]').length,
    texErrors: article.querySelectorAll('mjx-merror').length,
    raw: raw,
    remote: performance.getEntriesByType('resource').map(r => r.name)
                       .filter(n => !n.startsWith('file:') && !n.startsWith('data:')),
  });
});
"""


def open_page(driver, url):
    driver.get(url)
    WebDriverWait(driver, 60).until(lambda d: d.execute_script("return document.readyState") == "complete")


def page_of(driver, out):
    """The current page, relative to the book's folder (lessons/00-welcome.html)."""
    path = pathlib.Path(driver.current_url.split("#")[0].split("?")[0].removeprefix("file://"))
    return path.relative_to(out).as_posix()


def previous_page(driver, out):
    """Where the page's "previous" link points, relative to the book's folder (None: there is none)."""
    links = driver.find_elements(By.CSS_SELECTOR, "a.left-prev")
    if not links:
        return None
    target = pathlib.Path(links[0].get_property("href").split("#")[0].removeprefix("file://"))
    return target.relative_to(out).as_posix()


def click(driver, css):
    """Clicks the element as a reader does (scrolled into view first); False when the page has none."""
    found = driver.find_elements(By.CSS_SELECTOR, css)
    if not found:
        return False
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", found[0])
    found[0].click()
    WebDriverWait(driver, 60).until(lambda d: d.execute_script("return document.readyState") == "complete")
    return True


def page_problems(page, state, console):
    problems = []
    if state["broken"]:
        problems.append(f"images that did not load: {state['broken']}")
    if state["untypeset"] or state["texErrors"]:
        problems.append(f"{state['untypeset']} of {state['math']} equations not typeset, "
                        f"{state['texErrors']} TeX errors")
    if state["raw"]:
        problems.append(f"raw TeX in the text: {state['raw'][:3]}")
    if state["remote"]:
        problems.append(f"fetched from outside the book: {state['remote'][:3]}")
    if console:
        problems.append(f"console errors: {console[:3]}")
    notebook = notebook_for(page)
    if notebook is not None:
        want = stored(notebook)
        for key in ("pngs", "figures", "html", "tables", "streams"):
            if state[key] != want[key]:
                problems.append(f"{state[key]} {key} shown, the notebook holds {want[key]}")
        if state["display"] < want["display_math"]:
            problems.append(f"{state['display']} display equations typeset, the notebook holds {want['display_math']}")
    return [f"{page}: {p}" for p in problems]


# ------------------------------------------------------------------------------------------ the tests

def test_the_book_builds_offline_with_no_warning(book):
    build = book["build"]
    assert build.returncode == 0, f"book/build.py --strict failed:\n{build.stdout[-3000:]}\n{build.stderr[-6000:]}"
    assert (book["out"] / "index.html").is_file()
    assert (book["out"] / "_static" / "mathjax" / "tex-mml-chtml.js").is_file(), "MathJax is not in the book"
    if not book["offline"]:
        log("not root: the build ran with the network; the pages are still checked for remote assets")
    remote = []
    for page in book["out"].rglob("*.html"):
        for tag in re.findall(r"<(?:script|link|img)\b[^>]*>", page.read_text(encoding="utf-8")):
            if re.search(r'\b(?:src|href)="(?:https?:)?//', tag) and not re.search(r'rel="(?:canonical|author)"', tag):
                remote.append(f"{page.relative_to(book['out'])}: {tag[:120]}")
    assert remote == [], "the book loads assets from the network:\n" + "\n".join(remote[:10])


def test_next_walks_the_table_of_contents_and_every_page_renders(book, browser):
    out = book["out"]
    open_page(browser, (out / "index.html").as_uri())
    browser.save_screenshot(str(ARTIFACTS / "book-index.png"))
    visited, previous, problems = [], [], []
    while True:
        page = page_of(browser, out)
        if page in visited:
            problems.append(f"'next' went back to {page}")
            break
        visited.append(page)
        previous.append(previous_page(browser, out))
        state = browser.execute_async_script(PAGE_STATE)
        console = [e["message"][:160] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
        problems += page_problems(page, state, console)
        log(f"{page}: {state['title'].split(' — ')[0]!r}: {state['images']} images ({state['pngs']} charts, "
            f"{state['figures']} figures), {state['html']} HTML outputs, {state['tables']} tables, "
            f"{state['streams']} streams, {state['math']} equations")
        if page == "lessons/02-vanishing-gradient.html":
            browser.save_screenshot(str(ARTIFACTS / "book-02-vanishing-gradient.png"))
        if not click(browser, "a.right-next"):
            break
    assert visited == table_of_contents(), "the 'next' links do not walk the table of contents in order"
    assert previous == [None, *visited[:-1]], "a 'previous' link does not point at the page before"
    assert problems == [], "\n".join(problems)


def test_previous_steps_back(book, browser):
    out = book["out"]
    pages = table_of_contents()
    open_page(browser, (out / pages[-1]).as_uri())
    walked = [page_of(browser, out)]
    for _ in range(3):
        assert click(browser, "a.left-prev"), f"{walked[-1]} has no 'previous' link"
        walked.append(page_of(browser, out))
    assert walked == pages[::-1][:4]


def test_search_finds_a_word_from_a_lesson(book, browser):
    lesson = NOTEBOOKS / f"{SEARCH_LESSON}.ipynb"
    cells = json.loads(lesson.read_text(encoding="utf-8"))["cells"]
    prose = " ".join(text_of(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert SEARCH_WORD in prose, f"choose another SEARCH_WORD: {lesson.name} no longer says {SEARCH_WORD!r}"
    open_page(browser, (book["out"] / "lessons" / "00-welcome.html").as_uri())
    click(browser, "button.search-button__button")
    box = WebDriverWait(browser, 10).until(
        lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, "form.bd-search input[type=search]")
                        if e.is_displayed()), None))
    box.send_keys(SEARCH_WORD, Keys.ENTER)
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#search-results ul.search li")
                                     or "did not match any" in d.find_element(By.ID, "search-results").text)
    found = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "#search-results ul.search li a")]
    browser.save_screenshot(str(ARTIFACTS / "book-search.png"))
    log(f"search {SEARCH_WORD!r}: {[f.rsplit('/', 1)[-1] for f in found]}")
    assert any(f.split("#")[0].endswith(f"lessons/{SEARCH_LESSON}.html") for f in found), found


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs += [v for k, v in attrs if k == "href" and v]


def test_every_link_between_pages_opens_a_file_of_the_book(book):
    out, broken = book["out"], []
    for page in out.rglob("*.html"):
        links = Links()
        links.feed(page.read_text(encoding="utf-8"))
        for href in links.hrefs:
            target = href.split("#", 1)[0].split("?", 1)[0]
            if not target or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", target):
                continue           # the same page, or another site (https:, mailto:)
            if not (page.parent / target).resolve().is_file():
                broken.append(f"{page.relative_to(out)} -> {href}")
    assert broken == []

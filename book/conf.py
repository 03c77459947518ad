"""Sphinx configuration of the course as a book: the lessons and the assignments as stored (with their outputs,
nothing is executed), rendered by MyST-NB with sphinx-book-theme, readable offline.

Build it with `./rnnlab start --html`, which runs `book/build.py site`: that script lays out the pages (this
folder's Markdown, copies of notebooks/ and lib/README.md) in a scratch folder and runs Sphinx there with this
configuration.
"""
import pathlib
import shutil

try:
    import mathjax   # django-static-mathjax: MathJax 3's own es5/ build, as a package
except ImportError as missing:
    raise ImportError("the book's MathJax (the package django-static-mathjax, pinned in requirements-dev.txt) is "
                      "not installed: build with ./rnnlab start --html, or run ./rnnlab venv first") from missing

project = "RNN Lab"
author = "RNN Lab"
html_title = "RNN Lab: recurrent neural networks in Java"

extensions = ["myst_nb"]
root_doc = "index"
include_patterns = ["index.md", "assignments.md", "lessons/*.ipynb", "lessons/assignments/*.ipynb", "lib/README.md"]
exclude_patterns = ["**/.ipynb_checkpoints"]

# The notebooks are shown as stored: their outputs are the executed lessons' (the lesson tests keep them fresh).
nb_execution_mode = "off"
# Jupyter's Markdown: $...$ and $$...$$ are LaTeX.
myst_enable_extensions = ["dollarmath", "amsmath"]
# MathJax typesets the whole page with Jupyter's delimiters ($...$ too), as Jupyter does, and not only what MyST
# parsed as math: in raw HTML (an <img> line and the lines up to the next blank one are one raw HTML block to a
# Markdown parser) Jupyter still renders the equations, so the book does too.
myst_update_mathjax = False
mathjax3_config = {"tex": {"inlineMath": [["$", "$"], ["\\(", "\\)"]], "processEscapes": True}}
myst_heading_anchors = 3

html_theme = "sphinx_book_theme"
html_theme_options = {
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "navigation_with_keys": True,
}
html_static_path = ["_static"]
html_css_files = ["book.css"]
# The reader's light or dark mode, as their system says (left empty, the theme logs an error on every page).
html_context = {"default_mode": "auto"}
html_last_updated_fmt = None
# The download button offers each page's notebook as stored (an assignment to work on), named .ipynb.
html_copy_source = True
html_sourcelink_suffix = ""
html_show_sourcelink = False

# MathJax from this machine, not from a CDN: Sphinx's default URL fails offline, and a reader would see raw TeX.
# A relative mathjax_path is relative to the book's _static/; copy_mathjax puts MathJax there.
MATHJAX = pathlib.Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
mathjax_path = "mathjax/tex-mml-chtml.js"
# The other combined builds (tex-svg.js, tex-chtml-full.js ...) are not loaded; the rest (fonts, the extensions
# that autoload, the menu, accessibility) is what tex-mml-chtml.js fetches on demand.
MATHJAX_UNUSED = {p.name for p in MATHJAX.glob("*.js")} - {"tex-mml-chtml.js"}


def copy_mathjax(app, exception):
    if exception is None and app.builder.format == "html":
        shutil.copytree(MATHJAX, pathlib.Path(app.outdir) / "_static" / "mathjax", dirs_exist_ok=True,
                        ignore=lambda folder, names: MATHJAX_UNUSED if pathlib.Path(folder) == MATHJAX else ())


def outputs_beside_the_doctrees(app):
    """MyST-NB writes the notebooks' images to <outdir>/../jupyter_execute before Sphinx copies them into the
    book: for `site/` that is a folder at the repository's root. They go with Sphinx's other intermediate files,
    the doctrees, instead (build.py keeps those in its scratch folder)."""
    app.env.mystnb_config = app.env.mystnb_config.copy(
        output_folder=str(pathlib.Path(app.doctreedir) / "jupyter_execute"))


def setup(app):
    app.connect("builder-inited", outputs_beside_the_doctrees, priority=600)   # after MyST-NB's own (500)
    app.connect("build-finished", copy_mathjax)

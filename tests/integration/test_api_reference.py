"""The API reference (docs/reference/) covers every public name of every package.

Each page of docs/reference/ renders modules with mkdocstrings' ``::: module``
directive; ``filters: public`` in mkdocs.yml makes a directive render exactly the
names of the module's ``__all__``. The checks here need no mkdocs: every public
module (each package and its submodules whose names do not start with ``_``)
declares ``__all__`` and has a directive that does not narrow its members.

``nox -s docs`` builds the site, then runs this file with ``SANIC_DOCS_SITE``
naming the built site: then the HTML itself is checked too, that every public
name has its anchor on the module's reference page and that no page loads a
script, stylesheet or font from the network (the site renders offline). Without
a built site those checks skip.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import os
import pkgutil
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "docs" / "reference"
MKDOCS = ROOT / "mkdocs.yml"
PACKAGES = (
    "sanic",
    "sanic_router",
    "sanic_request",
    "sanic_http",
    "sanic_views",
    "sanic_testing",
)
SITE_VARIABLE = "SANIC_DOCS_SITE"


def public_modules() -> list[str]:
    """Every package and each of its submodules not named with a leading ``_``."""
    found: list[str] = []
    for package in PACKAGES:
        found.append(package)
        module = importlib.import_module(package)
        for info in pkgutil.iter_modules(module.__path__):
            if not info.name.startswith("_"):
                found.append(f"{package}.{info.name}")
    return found


def directive_members(options: list[str]) -> list[str] | None:
    """The names a directive's ``members:`` option keeps, None when it keeps all.

    Understands ``members: false``, ``members: [a, b]`` and a block list.
    """
    for index, line in enumerate(options):
        found = re.match(r"\s*members:\s*(.*?)\s*$", line)
        if found is None:
            continue
        value = found.group(1)
        if value in ("true", "True"):
            return None
        if value in ("false", "False", "[]"):
            return []
        if value.startswith("["):
            return [name.strip(" '\"") for name in value.strip("[]").split(",")]
        names: list[str] = []
        for item in options[index + 1 :]:
            listed = re.match(r"\s*-\s*([\w.]+)\s*$", item)
            if listed is None:
                break
            names.append(listed.group(1))
        return names
    return None


def directives(pages: list[Path]) -> dict[str, tuple[Path, list[str] | None]]:
    """Map each ``::: module`` of the pages to its page and kept members."""
    found: dict[str, tuple[Path, list[str] | None]] = {}
    for page in pages:
        lines = page.read_text(encoding="utf-8").splitlines()
        for index, line in enumerate(lines):
            directive = re.match(r"^:::\s+([\w.]+)\s*$", line)
            if directive is None:
                continue
            options = []
            for option in lines[index + 1 :]:
                if not option.startswith((" ", "\t")):
                    break
                options.append(option)
            name = directive.group(1)
            assert name not in found, f"{page.name}: ::: {name} appears twice"
            found[name] = (page, directive_members(options))
    return found


def uncovered(
    modules: dict[str, ModuleType],
    covered: dict[str, tuple[Path, list[str] | None]],
) -> list[str]:
    """The public names (``module.name``) no directive renders."""
    missing: list[str] = []
    for name, module in modules.items():
        exported = getattr(module, "__all__", None)
        if exported is None:
            missing.append(f"{name} (no __all__: declare what it offers)")
            continue
        if name not in covered:
            missing.append(f"{name} (no ::: {name} in docs/reference/)")
            continue
        kept = covered[name][1]
        if kept is not None:
            missing += [f"{name}.{item}" for item in exported if item not in kept]
    return missing


def reference_pages() -> list[Path]:
    return sorted(REFERENCE.glob("*.md"))


def test_every_public_module_and_name_has_a_directive():
    modules = {name: importlib.import_module(name) for name in public_modules()}
    assert uncovered(modules, directives(reference_pages())) == []


def test_one_reference_page_per_package_in_the_nav():
    nav = MKDOCS.read_text(encoding="utf-8")
    for package in PACKAGES:
        page = REFERENCE / f"{package}.md"
        assert page.is_file(), f"docs/reference/{package}.md is missing"
        assert f"reference/{package}.md" in nav
        assert f"::: {package}\n" in page.read_text(encoding="utf-8")


def test_the_reference_renders_public_names_only_with_google_docstrings():
    # ``filters: public`` is what makes a directive render exactly ``__all__``:
    # the coverage check above relies on it.
    config = MKDOCS.read_text(encoding="utf-8")
    assert re.search(r"^\s+filters:\s*public\s*$", config, re.M)
    assert re.search(r"^\s+docstring_style:\s*google\s*$", config, re.M)
    assert re.search(r"^\s+show_if_no_docstring:\s*true\s*$", config, re.M)


DOCS = ROOT / "docs"
#: Pages that name no API of their own: the section map points at examples and tests.
NOT_LINKING = {"guide-map.md"}
AUTOREF = re.compile(r"\]\[(?:sanic|sanic_router|sanic_request|sanic_http|sanic_views|"
                     r"sanic_testing)(?:\.\w+)*\]")  # fmt: skip


def test_every_guide_page_links_names_to_the_reference():
    # ``[`app.route`][sanic.app.Sanic.route]``: mkdocs-autorefs turns it into a link
    # to the reference, and the strict build fails on one that resolves to nothing.
    unlinked = [
        page.relative_to(DOCS).as_posix()
        for page in sorted(DOCS.rglob("*.md"))
        if not page.is_relative_to(REFERENCE)
        and page.name not in NOT_LINKING
        and not AUTOREF.search(page.read_text(encoding="utf-8"))
        and "reference/" not in page.read_text(encoding="utf-8")
    ]
    assert unlinked == []


def test_the_coverage_check_finds_a_missing_module_and_a_narrowed_one(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "# Page\n\n::: json\n    options:\n      members:\n        - dumps\n\n"
        "::: textwrap\n    options:\n      members: false\n"
    )
    covered = directives([page])
    assert covered["json"][1] == ["dumps"]
    assert covered["textwrap"][1] == []
    modules = {
        name: importlib.import_module(name) for name in ("json", "textwrap", "shlex")
    }
    missing = uncovered(modules, covered)
    assert "json.loads" in missing and "json.dumps" not in missing
    assert "textwrap.dedent" in missing
    assert "shlex (no ::: shlex in docs/reference/)" in missing


# --- the built site (nox -s docs sets SANIC_DOCS_SITE) ---------------------------


@pytest.fixture(scope="module")
def site() -> Path:
    location = os.environ.get(SITE_VARIABLE)
    if not location:
        pytest.skip(f"no built site: `nox -s docs` builds one and sets {SITE_VARIABLE}")
    path = Path(location)
    assert (path / "index.html").is_file(), f"{SITE_VARIABLE}={path} holds no site"
    return path


def page_html(site: Path, page: Path) -> str:
    built = site / "reference" / page.stem / "index.html"
    assert built.is_file(), f"{page.name} was not built into {built}"
    return built.read_text(encoding="utf-8")


def test_every_public_name_has_its_anchor_in_the_built_reference(site):
    covered = directives(reference_pages())
    html: dict[Path, str] = {}
    missing: list[str] = []
    for name in public_modules():
        page = covered[name][0]
        if page not in html:
            html[page] = page_html(site, page)
        module = importlib.import_module(name)
        for item in ["", *(f".{entry}" for entry in module.__all__)]:
            if f'id="{name}{item}"' not in html[page]:
                missing.append(f"{name}{item} ({page.name})")
    assert not missing, "not in the built reference:\n" + "\n".join(missing)


def public_methods(cls: type) -> Iterator[str]:
    """Public names a class of ours defines (or inherits from a class of ours)."""
    for klass in cls.__mro__:
        if klass.__module__.split(".")[0] not in PACKAGES:
            continue
        for name in vars(klass):
            if not name.startswith("_"):
                yield name


def test_every_public_method_of_a_public_class_is_in_the_built_reference(site):
    # Checked where the package that defines the class offers it: a class another
    # package re-exports (sanic.response.HTTPResponse) is checked at its home.
    covered = directives(reference_pages())
    missing: list[str] = []
    for name in public_modules():
        module = importlib.import_module(name)
        text = page_html(site, covered[name][0])
        package = name.split(".")[0]
        for entry in module.__all__:
            value = getattr(module, entry)
            if not inspect.isclass(value) or value.__module__.split(".")[0] != package:
                continue
            for method in sorted(set(public_methods(value))):
                if f'id="{name}.{entry}.{method}"' not in text:
                    missing.append(f"{name}.{entry}.{method}")
    assert not missing, "not in the built reference:\n" + "\n".join(missing)


REMOTE = re.compile(r"^\s*(?:https?:)?//", re.I)
CSS_REMOTE = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])\s*(?:https?:)?//""", re.I)
JS_REMOTE = re.compile(
    r"""(?:importScripts\(\s*|\bimport\s*\(?\s*|\bfrom\s+)['"](?:https?:)?//""", re.I
)
# Elements that make a browser fetch their URL when the page renders.
LOADING = {
    ("script", "src"),
    ("link", "href"),
    ("img", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
}


class RemoteLoads(HTMLParser):
    """Collects every URL a page would load from the network."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_style = tag == "style"
        for name, value in attrs:
            if value is None:
                continue
            if (tag, name) in LOADING and REMOTE.match(value):
                self.found.append(f"<{tag} {name}={value}>")
            if name == "style" and CSS_REMOTE.search(value):
                self.found.append(f"<{tag} style={value}>")

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style and CSS_REMOTE.search(data):
            self.found.append(f"<style>{data.strip()[:80]}")


def remote_loads(site: Path) -> list[str]:
    """Each network fetch a built page, stylesheet or script would make."""
    found: list[str] = []
    for path in sorted(site.rglob("*")):
        where = path.relative_to(site).as_posix()
        if path.suffix == ".html":
            parser = RemoteLoads()
            parser.feed(path.read_text(encoding="utf-8"))
            found += [f"{where}: {item}" for item in parser.found]
        elif path.suffix == ".css":
            text = path.read_text(encoding="utf-8")
            found += [f"{where}: {m.group(0)}" for m in CSS_REMOTE.finditer(text)]
        elif path.suffix == ".js":
            text = path.read_text(encoding="utf-8")
            found += [f"{where}: {m.group(0)}" for m in JS_REMOTE.finditer(text)]
    return found


def test_the_built_pages_load_nothing_from_the_network(site):
    assert len(list(site.rglob("*.html"))) > 20
    assert remote_loads(site) == []


def test_code_is_highlighted_by_pygments_at_build_time(site):
    # pymdownx.highlight runs Pygments: tokens arrive as spans, styled by the
    # stylesheet served with the site (docs/css/pygments.css), no script needed.
    page = (site / "index.html").read_text(encoding="utf-8")
    assert '<span class="kn">from</span>' in page
    assert 'href="css/pygments.css"' in page
    assert (site / "css" / "pygments.css").is_file()
    assert ".highlight .kn" in (site / "css" / "pygments.css").read_text()


def test_the_network_check_finds_a_cdn_script_font_and_stylesheet(tmp_path):
    (tmp_path / "index.html").write_text(
        '<html><head><script src="https://cdn.example/highlight.min.js"></script>'
        '<link rel="stylesheet" href="//fonts.example/css?family=Lato">'
        '<style>@font-face { src: url("https://fonts.example/a.woff2") }</style>'
        '</head><body><a href="https://www.mkdocs.org/">made with mkdocs</a>'
        '<img src="img/local.png"></body></html>'
    )
    (tmp_path / "theme.css").write_text(
        "@import 'https://fonts.example/lato.css';\n"
        'a { background: url("data:image/svg+xml,'
        "<svg xmlns='http://www.w3.org/2000/svg'/>\") }"
    )
    (tmp_path / "worker.js").write_text("importScripts('https://cdn.example/lunr.js');")
    found = remote_loads(tmp_path)
    assert len(found) == 5, found
    assert not any("mkdocs.org" in item or "w3.org" in item for item in found)


def test_doc_comments_document_the_attribute_below_or_beside_them():
    pytest.importorskip("griffe", reason="tools/griffe_reference.py needs griffe")
    spec = importlib.util.spec_from_file_location(
        "griffe_reference", ROOT / "tools" / "griffe_reference.py"
    )
    assert spec is not None and spec.loader is not None
    extension = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(extension)
    lines = [
        "import os",
        "#: The first line,",
        "#: and the second.",
        "LIMIT = 10",
        "PLAIN = 1",
        "    FRESH = 0  #: connected, nothing read",
    ]
    assert extension.doc_comment(lines, 4) == ("The first line,\nand the second.", 2)
    assert extension.doc_comment(lines, 5) is None
    assert extension.doc_comment(lines, 6) == ("connected, nothing read", 6)


def test_doc_comments_reach_the_built_reference(site):
    # sanic_http.DEFAULT_BACKLOG is documented by a ``#:`` comment only.
    text = page_html(site, REFERENCE / "sanic_http.md")
    anchor = text.index('id="sanic_http.DEFAULT_BACKLOG"')
    assert "The listen queue length when none is given" in text[anchor : anchor + 3000]


def test_the_built_reference_hides_slots(site):
    # sanic_request.Request has __slots__ naming its private storage.
    for page in reference_pages():
        assert "__slots__" not in page_html(site, page), page.name

"""Round trip: matching the URL that url_for builds gives back route and values."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from sanic_router import Router

# Text without surrogates (not encodable to UTF-8) and without "<" ">" (template
# syntax) for literal segments; parameter values may hold anything else.
_chars = st.characters(blacklist_categories=("Cs",))
_literal = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="/<>"),
    min_size=1,
    max_size=8,
)
_text = st.text(_chars, min_size=1, max_size=10)

# converter in the template -> strategy for valid values
_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "": _text,
    ":int": st.integers(),
    ":number": st.floats(allow_nan=False, allow_infinity=False),
    ":alpha": st.from_regex(r"[A-Za-z]+", fullmatch=True),
    ":uuid": st.uuids(),
    ":[a-z]{1,3}": st.from_regex(r"[a-z]{1,3}", fullmatch=True),
    ":path": st.lists(_text.filter(lambda t: "/" not in t), min_size=1, max_size=3).map(
        "/".join
    ),
}

_segment = st.one_of(
    _literal.map(lambda t: ("lit", t)),
    st.sampled_from(sorted(_VALUES)).map(lambda k: ("param", k)),
)


@st.composite
def tables(draw: st.DrawFn) -> list[tuple[str, list[str]]]:
    """Random templates, each behind its own first literal so none overlap."""
    routes = []
    for index in range(draw(st.integers(1, 6))):
        parts, names = [f"r{index}"], []
        for position, (kind, value) in enumerate(draw(st.lists(_segment, max_size=4))):
            if kind == "lit":
                parts.append(value)
            elif value == ":path" and any(":path>" in p for p in parts):
                parts.append("x")  # a second spanning parameter is refused
            else:
                names.append(f"p{position}")
                parts.append(f"<p{position}{value}>")
        trailing = "/" if draw(st.booleans()) else ""
        routes.append(("/" + "/".join(parts) + trailing, names))
    return routes


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_url_for_then_match_round_trips(data: st.DataObject) -> None:
    table = data.draw(tables())
    router = Router()
    strict = data.draw(st.booleans())
    for index, (template, _) in enumerate(table):
        router.add(template, ["GET"], index, name=f"n{index}", strict_slashes=strict)
    router.finalize()
    index = data.draw(st.integers(0, len(table) - 1))
    template, names = table[index]
    kinds = [
        part[part.index(":") :] if ":" in part else "" for part in _params(template)
    ]
    values = {
        name: data.draw(_VALUES[kind]) for name, kind in zip(names, kinds, strict=True)
    }
    url = router.url_for(f"n{index}", **values, extra="q")
    parts = urlsplit(url)
    assert parts.query == "extra=q"
    match = router.get(parts.path, "GET")
    assert match.route.handler == index
    expected = {
        k: float(v) if k in _numbers(template) else v for k, v in values.items()
    }
    assert match.params == expected


def _params(template: str) -> list[str]:
    return [p[1:-1] for p in template.strip("/").split("/") if p.startswith("<")]


def _numbers(template: str) -> set[str]:
    return {p.split(":")[0] for p in _params(template) if p.endswith(":number")}

"""griffe extensions for the API reference (mkdocs.yml's mkdocstrings options).

``DocComments``: the packages document module constants, class attributes and
fields the way Sphinx reads them, with ``#:`` comment lines right above the
assignment (or one after it on the same line). griffe only reads a string literal
below an assignment, so without this the reference (``nox -s docs``) would show
those attributes undocumented. An attribute that already has a docstring keeps it.

``HideSlots``: a class's ``__slots__`` lists its private storage; griffe counts
the name as public (a dunder), so the reference would show it as an attribute.
"""

from __future__ import annotations

import ast
from typing import Any

import griffe

MARK = "#:"


def doc_comment(lines: list[str], lineno: int) -> tuple[str, int] | None:
    """The ``#:`` comment documenting the assignment on line ``lineno`` (1-based).

    Args:
        lines: The source file's lines.
        lineno: The assignment's first line.

    Returns:
        The comment's text and its first line, or None when there is none.
    """
    index = lineno - 2
    found: list[str] = []
    while index >= 0 and lines[index].lstrip().startswith(MARK):
        found.insert(0, lines[index].lstrip()[len(MARK) :].strip())
        index -= 1
    if found:
        return "\n".join(found), index + 2
    line = lines[lineno - 1] if 0 < lineno <= len(lines) else ""
    if f"  {MARK} " in line:
        return line.split(f"  {MARK} ", 1)[1].strip(), lineno
    return None


class DocComments(griffe.Extension):
    """Gives an attribute without a docstring the ``#:`` comment above it."""

    def on_attribute_instance(
        self,
        *,
        node: ast.AST | griffe.ObjectNode,
        attr: griffe.Attribute,
        agent: griffe.Visitor | griffe.Inspector,
        **kwargs: Any,
    ) -> None:
        if attr.docstring is not None or attr.lineno is None:
            return
        filepath = attr.filepath
        if isinstance(filepath, list):
            return
        try:
            lines = attr.lines_collection[filepath]
        except KeyError:
            return
        comment = doc_comment(lines, attr.lineno)
        if comment is None:
            return
        text, lineno = comment
        attr.docstring = griffe.Docstring(
            text,
            lineno=lineno,
            endlineno=attr.lineno,
            parent=attr,
            parser=agent.docstring_parser,
            parser_options=agent.docstring_options,
        )


class HideSlots(griffe.Extension):
    """Leaves ``__slots__`` out of every class's members."""

    def on_class_members(
        self,
        *,
        node: ast.AST | griffe.ObjectNode,
        cls: griffe.Class,
        agent: griffe.Visitor | griffe.Inspector,
        **kwargs: Any,
    ) -> None:
        if "__slots__" in cls.members:
            cls.del_member("__slots__")

"""The public-surface check every package's tests run on their modules."""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from types import ModuleType

__all__ = ["assert_public_surface"]

# Names ``from __future__ import annotations`` and ``typing`` put in a namespace.
_NOT_EXPORTS = frozenset({"annotations", "TYPE_CHECKING"})


def assert_public_surface(module: ModuleType, names: Iterable[str]) -> None:
    """Fail unless ``sorted(module.__all__)`` is exactly ``sorted(names)``.

    Also fails when ``__all__`` repeats a name, names something the module lacks, or
    when the module has a public name (no leading underscore) that ``__all__`` leaves
    out and that is not a module: what the module offers is what it declares.
    """
    exported = list(module.__all__)
    assert sorted(exported) == sorted(names)
    assert len(exported) == len(set(exported)), f"__all__ repeats a name: {exported}"
    missing = [name for name in exported if not hasattr(module, name)]
    assert not missing, f"{module.__name__}.__all__ names what it lacks: {missing}"
    undeclared = sorted(
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and name not in _NOT_EXPORTS
        and name not in exported
        and not inspect.ismodule(value)
    )
    assert not undeclared, f"{module.__name__}: public, not in __all__: {undeclared}"

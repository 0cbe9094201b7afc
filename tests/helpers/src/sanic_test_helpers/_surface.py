"""The public-surface check every package's tests run on their modules."""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from types import ModuleType

__all__ = ["assert_public_surface"]

# Names ``from __future__ import annotations`` and ``typing`` put in a namespace.
_NOT_EXPORTS = frozenset({"annotations", "TYPE_CHECKING"})


def assert_public_surface(
    module: ModuleType, names: Iterable[str], *, complete: bool = True
) -> None:
    """Fail unless ``sorted(module.__all__)`` is exactly ``sorted(names)``.

    Also fails when ``__all__`` repeats a name or names something the module lacks.

    Args:
        module: The module.
        names: Its public names, in any order.
        complete: Also fail when the module has a public name (no leading
            underscore, not a module) that ``__all__`` leaves out: what a package
            offers is what it declares. Off for a module whose imports of helpers
            (``Any``, ``Callable``) share its namespace.
    """
    exported = list(module.__all__)
    assert sorted(exported) == sorted(names)
    assert len(exported) == len(set(exported)), f"__all__ repeats a name: {exported}"
    missing = [name for name in exported if not hasattr(module, name)]
    assert not missing, f"{module.__name__}.__all__ names what it lacks: {missing}"
    if not complete:
        return
    undeclared = sorted(
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and name not in _NOT_EXPORTS
        and name not in exported
        and not inspect.ismodule(value)
    )
    assert not undeclared, f"{module.__name__}: public, not in __all__: {undeclared}"

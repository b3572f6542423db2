"""Gather the public names of every module in a package, for tk.blanket (actions, auth functions, blueprints).

Each feature keeps its actions, auth functions and views in its own module (``logic/action/review.py``,
``logic/auth/review.py``, ``views/excel.py`` …) and lists them in its ``__all__``; the package's ``__init__``
re-exports all of them so the plugin registers everything without a hand-kept list.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import Any


def exported(package: ModuleType) -> dict[str, Any]:
    names: dict[str, Any] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for name in getattr(module, "__all__", ()):
            if name in names:
                raise ImportError(f"{package.__name__}: {name!r} is exported by two modules")
            names[name] = getattr(module, name)
    return names

"""Auth functions of ckanext-hlj, named as the actions they guard, one module per feature."""

import sys

from ckanext.hlj.logic.collect import exported as _exported

_members = _exported(sys.modules[__name__])
globals().update(_members)
__all__ = [*sorted(_members)]  # noqa: PLE0604 - names collected at import time

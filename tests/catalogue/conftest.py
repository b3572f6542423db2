"""Hypothesis settings for the catalogue tests: no example database in the work tree, no per-example deadline
(CI machines are slow and shared)."""

from hypothesis import settings

settings.register_profile("catalogue", database=None, deadline=None)
settings.load_profile("catalogue")

"""Helpers for the csto-notebooks collection.

Modules depend on each other in one direction only:

    paths -> data -> importers / refresh -> metrics -> plots -> widgets

Import the submodule you need (``from utils import data``); nothing heavy is imported here,
so ``import utils`` stays cheap for the notebooks and the benchmark.
"""

__version__ = "1.0.0"

"""Plausible wrong answers for every exercise (used by ``tests/test_exercises.py``).

One module per lesson, named after the notebook (``nb_01_history.py`` for ``01_history.ipynb``), holding
``WRONG = {"Exercise 1": ["code a student might write", ...], ...}``. Each entry is put in the answer cell in place
of a right answer; the exercise's self-check must reject every one with a hint. All entries are tried in one run of
the lesson, each followed by the exercise's self-check (``tests/executed_notebooks.py``).
"""

import importlib
import pkgutil

WRONG_ANSWERS: dict[str, dict[str, list[str]]] = {}
for _module in pkgutil.iter_modules(__path__):
    if _module.name.startswith("nb_"):
        WRONG_ANSWERS[_module.name[3:] + ".ipynb"] = importlib.import_module(f"{__name__}.{_module.name}").WRONG

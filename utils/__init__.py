"""Helpers for the csto-notebooks collection, in two wings and a few tools.

    utils/paths.py     where things are (the data folder, the repository); imports nothing else of utils
    utils/course.py    the course as a whole: its lessons in reading order (start page, site) and the hub link

    utils/read/        THE READ WING: what the lessons import. Typed tables (data), the vocabulary of countries,
                       colours, measures and verdicts, metrics, claim grading, source tiers, figures, maps and
                       self-checks. It never changes data/ and never imports the write wing.
    utils/write/       THE WRITE WING: everything that changes data/. Importers of the official files and their
                       release checks, refresh, validation, record, the transaction that makes a change all-or-none,
                       and the practice releases of lesson 08 (the one lesson that uses this wing).
    utils/tools/       tools that stand apart: the static site, PDFs and student edition (publish), and the
                       notebook runner the tests, the site and the benchmark share.

Imports point one way only: tools -> write -> read -> paths (tests/test_layering.py enforces it). Import the
submodule you need (``from utils.read import data``); nothing heavy is imported here.
"""

__version__ = "1.0.0"

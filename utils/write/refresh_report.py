"""The refresh's change report (``python -m utils.write.refresh``), written for a reader who knows the data, not the code.

The report opens with a summary of a few short sentences (:func:`milex_summary`, :func:`table_summary`), then gives
the details: a table per measure, the revised figures largest first, the changed flags, the checks' suspected errors
and the claims whose verdict would change. Measures are named in words (:func:`utils.read.vocabulary.measure_title`),
countries by name, SIPRI's flags by what they mean (:data:`utils.read.vocabulary.STATUS_LABELS`).

Every function here takes plain values (frames, provenance dictionaries, a limit) and returns lines of text; none
reads files or prints. :mod:`utils.write.refresh_plan` decides what to compare, and calls these to explain it.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from utils.read import claims, countries, vocabulary
from utils.write.importers import changes as table_changes

#: Width of the summary's lines (the details keep one line per row, however long).
SUMMARY_WIDTH = 100

#: Countries named in one summary sentence before "and N more".
SUMMARY_COUNTRIES = 6

#: The units of the numbers in the revision and flag tables (the measure column says which is which).
UNITS_NOTE = "  (Money in US$ million, per person in US dollars, shares in per cent.)"

UNCHANGED_CLAIMS = "Claims: not checked again, since the data would not change."


# --------------------------------------------------------------------------------------------- words


def in_words(text: str) -> str:
    """A line with every measure id in words ("constant_usd_2024" -> "spending in constant 2024 US dollars")."""
    # "the constant_usd_2024 figures" would read "the spending in constant 2024 US dollars figures".
    text = re.sub(r"\b(constant_usd_\d{4}|current_usd|share_gdp|share_govt|per_capita) figures\b", r"figures of \1",
                  str(text))
    return vocabulary.in_words(text)


def measure_words(measure: str) -> str:
    """A measure in words; a rebased constant-dollar series keeps its "(rebased)" mark."""
    name, rebased = str(measure).removesuffix(" (rebased)"), str(measure).endswith(" (rebased)")
    return vocabulary.measure_title(name) + (" (rebased)" if rebased else "")


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"


def listing(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C" (at most SUMMARY_COUNTRIES names, then "and N more")."""
    if len(names) > SUMMARY_COUNTRIES:
        shown = names[:SUMMARY_COUNTRIES]
        return ", ".join(shown) + f" and {len(names) - len(shown)} more"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _places(labels: list[dict]) -> str:
    """The countries and years of changed figures: "Belarus (2025), Russia (2018)"."""
    years: dict[str, set[int]] = {}
    for label in labels:
        name_country(label)
        years.setdefault(str(label.get("country", label.get("iso3", ""))), set()).add(int(label.get("year", 0)))
    return listing([f"{country} ({span(sorted(found))})" if any(found) else country
                    for country, found in sorted(years.items())])


# --------------------------------------------------------------------------------------------- milex: headings


def release_summary(info: dict[str, Any]) -> str:
    first, last = info["years"]
    return f"{info['edition']}, years {first}-{last}, constant dollars at {info['price_base']} prices"


def data_summary(info: dict[str, Any]) -> str:
    text = f"{info['edition']}, constant dollars at {info['price_base']} prices" if info.get("edition") else "SIPRI data"
    comparison = info.get("comparison")
    if comparison:
        text += (f"; and, to compare with, the constant dollars of {comparison['edition']} "
                 f"(at {comparison['price_base']} prices)")
    return text


def milex_heading(file_name: str, info: dict[str, Any], shown_folder: str | None,
                  current_info: dict[str, Any]) -> list[str]:
    """What the file is, and (when the data folder has a milex table) what the data holds now."""
    lines = [f"The file {file_name}: {release_summary(info)}."]
    if shown_folder is not None:
        lines.append(f"The data in {shown_folder}/milex.csv: {data_summary(current_info)}.")
    return lines


def older_release_note(current_release: int) -> str:
    return (f"This file is an OLDER release than the data: below is what the {current_release} release revised "
            f"relative to it. It will not be installed.")


def new_table_note(rows: int) -> str:
    return f"milex.csv does not exist yet: it will be created with {rows} rows."


def release_note(release: int, current_release: int) -> str:
    if release == current_release:
        return f"Same release as the data ({release}): the report compares them figure by figure."
    return f"New release: it replaces the figures of the {current_release} release."


def milex_summary(file_name: str, release: int, current_release: int | None, changes,
                  suspicion_lines: list[str]) -> list[str]:
    """The summary that opens a milex report: which release, what it changes, what the checks suspect.

    ``changes`` is None when the data has no milex table yet; ``current_release`` the newest release in the data.
    """
    if current_release is None:
        lines = [f"{file_name} holds SIPRI's {release} release; the data has no milex table yet, so it will be "
                 f"created."]
    elif release < current_release:
        lines = [f"{file_name} holds SIPRI's {release} release, OLDER than the data's {current_release} release. "
                 f"It will not be installed: the report shows what the {current_release} release revised."]
    elif release == current_release:
        lines = [f"{file_name} holds the same SIPRI release as the data ({release})."]
    else:
        lines = [f"{file_name} holds SIPRI's {release} release, newer than the data's {current_release} release: "
                 f"installing it replaces the {current_release} figures."]
    if changes is not None:
        lines += _change_sentences(changes)
    findings = [line.strip() for line in suspicion_lines if line.strip().startswith("suspected error: ")]
    suspected = sorted({line.removeprefix("suspected error: ").split(",")[0] for line in findings})
    if findings:
        lines.append(f"The checks suspect {plural(len(findings), 'error')} in SIPRI's figures ({listing(suspected)}): "
                     f"see the lines marked \"suspected error\" below.")
    else:
        lines.append("The checks suspect no error in SIPRI's figures.")
    return lines


def _change_sentences(changes) -> list[str]:
    lines = []
    if changes.revisions:
        lines.append(f"{plural(len(changes.revisions), 'figure is', 'figures are')} revised beyond rounding: "
                     f"{_places([r.label for r in changes.revisions])}.")
    else:
        lines.append("No figure is revised beyond rounding.")
    if changes.status_changes:
        lines.append(f"{plural(len(changes.status_changes), 'figure changes its flag', 'figures change their flag')} "
                     f"(estimate, reported, uncertain): {_places([c.label for c in changes.status_changes])}.")
    if changes.years_added:
        lines.append(f"Years added: {span(changes.years_added)}.")
    if changes.years_removed:
        lines.append(f"Years removed: {span(changes.years_removed)}.")
    if changes.rows_added or changes.rows_removed:
        lines.append(f"{plural(changes.rows_added, 'figure is', 'figures are')} new; {changes.rows_removed} removed.")
    return lines


# --------------------------------------------------------------------------------------------- milex: changes


def release_report(module, old, new, limit: int | None):
    """Compare two SIPRI releases like with like, measure by measure: (report lines, every change found)."""
    old_release, new_release = int(old["release"].iloc[0]), int(new["release"].iloc[0])
    if old_release == new_release:
        lines = ["", f"Changes between the data and the file (both the {new_release} release), measure by measure:"]
    else:
        lines = ["", f"Changes from the {old_release} release to the {new_release} release, measure by measure:"]

    rows, notes, total = [], [], table_changes.Changes()
    old_measures, new_measures = set(old["measure"]), set(new["measure"])
    old_constant = sorted(m for m in old_measures if m.startswith("constant_usd_"))
    new_constant = sorted(m for m in new_measures if m.startswith("constant_usd_"))
    if len(old_constant) == 1 and len(new_constant) == 1 and old_constant != new_constant:
        # Different price bases: express the newer release at the older base (which it covers) and compare.
        newer_base, older_base = int(new_constant[0][-4:]), int(old_constant[0][-4:])
        if older_base < newer_base:
            rebased, missing = module.rebase(new, older_base)
            new = pd.concat([new[new["measure"] != new_constant[0]], rebased], ignore_index=True)
            label = f"{old_constant[0]} (rebased)"
            new.loc[new["measure"] == old_constant[0], "measure"] = label
            old = old.assign(measure=old["measure"].replace(old_constant[0], label))
            old = old[~((old["measure"] == label) & old["iso3"].isin(missing))]
            new_measures, old_measures = set(new["measure"]), set(old["measure"])
            notes.append(
                f"Rebased: the {new_release} release gives constant dollars at {newer_base} prices; they were converted "
                f"to {older_base} prices with each country's own ratio of constant to current dollars in {older_base}, "
                f"then compared"
                + (f" (not converted, for want of {older_base} figures: {listing(_names(missing))})" if missing else "")
                + "."
            )
    for measure in sorted(old_measures | new_measures, key=measure_order):
        if measure not in old_measures or measure not in new_measures:
            notes.append(unpaired_measure(measure, old_measures, new_measures, old, new))
            continue
        changes = table_changes.compare(
            old[old["measure"] == measure], new[new["measure"] == measure],
            keys=["iso3", "year", "measure"], value_columns=["value"], status_column="status",
        )
        total.extend(changes)
        rows.append([measure_words(measure), str(changes.rows_added), str(changes.rows_removed),
                     str(len(changes.revisions)), str(len(changes.status_changes))])
    lines += table_changes.table_lines(["measure", "rows added", "rows removed", "values revised",
                                        "status changes"], rows)
    lines += [note for note in notes if note]
    lines += changes_details(total, limit, label_columns=("country", "year", "measure"))
    return lines, total


def _names(codes) -> list[str]:
    return [countries.name_of(code) for code in codes]


def unpaired_measure(measure: str, old_measures: set, new_measures: set, old, new) -> str:
    """A note on a measure present in one release only: usually the constant-dollar series moving to a new base."""
    old_constant = sorted(m for m in old_measures if m.startswith("constant_usd_"))
    new_constant = sorted(m for m in new_measures if m.startswith("constant_usd_"))
    if measure.startswith("constant_usd_") and old_constant and new_constant:
        if measure not in new_constant:
            return ""  # reported once, with the new release's measure
        return (f"Constant dollars move from {old_constant[0][-4:]} to {measure[-4:]} prices, so every value changes: "
                f"they are not compared figure by figure (compare current US dollars and the shares instead).")
    release = int(new["release"].iloc[0])
    if measure in new_measures:
        rows = int((new["measure"] == measure).sum())
        return f"New in the {release} release: {measure_words(measure)} ({plural(rows, 'row')})."
    rows = int((old["measure"] == measure).sum())
    return f"Not in the {release} release: {measure_words(measure)} ({plural(rows, 'row')} dropped)."


def changes_details(changes, limit: int | None, label_columns) -> list[str]:
    lines = []
    if changes.years_added:
        lines.append(f"Years added: {span(changes.years_added)}")
    if changes.years_removed:
        lines.append(f"Years removed: {span(changes.years_removed)}")
    if changes.empty and not changes.years_added:
        lines.append("No change in these measures: every value, flag and year is the same (within rounding).")
        return lines
    count = len(changes.revisions)
    shown = f" (the {limit} largest; --all lists every one)" if limit is not None and count > limit else ""
    lines.append(f"Values revised beyond rounding (more than {table_changes.RELATIVE_TOLERANCE:.2%}), largest first: "
                 f"{count}{shown}")
    for revision in changes.revisions:
        name_country(revision.label)
        name_measure(revision.label)
    if count:
        lines += table_changes.format_revisions(changes.revisions, limit, label_columns, show=show_revision)
        lines.append(UNITS_NOTE)
        lines += revisions_by_country(changes.revisions)
    count = len(changes.status_changes)
    statuses = changes.status_changes if limit is None else changes.status_changes[:limit]
    shown = f" (the first {limit}; --all lists every one)" if len(statuses) < count else ""
    lines.append(f"Status changes (SIPRI's flag on a figure): {count}{shown}")
    rows = []
    for change in statuses:
        name_country(change.label)
        name_measure(change.label)
        value = "" if table_changes.missing(change.new_value) else show_value(change.label, change.new_value)
        rows.append([str(change.label.get(c, "")) for c in label_columns]
                    + [status_words(change.old), status_words(change.new), value])
    if rows:
        lines += table_changes.table_lines(list(label_columns) + ["flag before", "flag now", "value"], rows)
    return lines


def status_words(status) -> str:
    return vocabulary.STATUS_LABELS.get(str(status), str(status))


def revisions_by_country(revisions) -> list[str]:
    """Per country: how many values were revised and in which years, so that no country's revision is hidden
    below the largest-first cut (e.g. a small revision to one state's 2020 figure)."""
    by_country: dict[str, list[int]] = {}
    for revision in revisions:
        country = str(revision.label.get("country", revision.label.get("iso3", "")))
        by_country.setdefault(country, []).append(int(revision.label.get("year", 0)))
    if len(by_country) < 1 or not any(by_country):
        return []
    rows = [[country, str(len(years)), span(sorted(set(years)))] for country, years in sorted(by_country.items())]
    return ["Revised values by country:"] + table_changes.table_lines(["country", "values", "years"], rows)


def name_country(label: dict) -> None:
    if "iso3" in label and "country" not in label:
        label["country"] = countries.name_of(label["iso3"])


def show_revision(revision, value: float) -> str:
    return show_value(revision.label, value)


def name_measure(label: dict) -> None:
    """Show a label's measure in words; its id stays in ``measure_id`` (it says how to show the value)."""
    if "measure" in label and "measure_id" not in label:
        label["measure_id"] = label["measure"]
        label["measure"] = measure_words(label["measure"])


def show_value(label: dict, value: float) -> str:
    measure = str(label.get("measure_id", label.get("measure", "")))
    if measure.startswith("share_"):
        return f"{value * 100:.2f}%"
    return f"{value:,.1f}"


def span(years: list[int]) -> str:
    """Years as runs: [1992, 1993, 1994, 2008] -> "1992-1994, 2008" (two years in a row are listed both)."""
    return ", ".join(f"{first}-{last}" if last - first >= 2 else ", ".join(map(str, range(first, last + 1)))
                     for first, last in table_changes.year_runs(years))


def measure_order(measure: str):
    stems = ("constant_usd", "current_usd", "share_gdp", "share_govt", "per_capita")
    stem = "constant_usd" if measure.startswith("constant_usd_") else measure
    return (stems.index(stem) if stem in stems else len(stems), measure)


def comparison_report(current, current_info, stored, comparison_info) -> list[str]:
    """One line on the older release kept to compare with (kept, replaced, added, removed)."""
    old = current_info.get("comparison")
    if old is None and comparison_info is None:
        return ["Older release to compare with: none (add one with --comparison OLDER_FILE)."]
    if comparison_info is None:
        return [f"Older release to compare with: {old['edition']} removed."]
    rows_new = int((stored["release"] == comparison_info["release"]).sum())
    if old is None:
        return [f"Older release to compare with: {comparison_info['edition']} added ({rows_new} rows)."]
    if old.get("source_sha256") == comparison_info.get("source_sha256"):
        return [f"Older release to compare with: {old['edition']} kept ({rows_new} rows of constant dollars at "
                f"{comparison_info['price_base']} prices, from {comparison_info['source_file']})."]
    rows_old = int((current["release"] == old["release"]).sum())
    return [f"Older release to compare with: {old['edition']} ({old['source_file']}, {rows_old} rows) replaced by "
            f"{comparison_info['edition']} ({comparison_info['source_file']}, {rows_new} rows)."]


def suspicion_report(lines: list[str]) -> list[str]:
    """The consistency checks' lines (:func:`utils.write.importers.consistency.refresh_findings`), in words."""
    return [in_words(line) for line in lines]


# --------------------------------------------------------------------------------------------- other sources


def table_heading(name: str, rows: int, file_name: str, exists: bool) -> list[str]:
    lines = [f"Table {name}: {rows} rows read from {file_name}."]
    if not exists:
        lines.append(f"  {name}.csv does not exist yet: it will be created.")
    return lines


def table_summary(name: str, changes) -> str:
    """One sentence on one table of a source other than milex (``changes`` None: a new table)."""
    if changes is None:
        return f"Table {name} is new: it will be created."
    if changes.empty and not changes.years_added:
        return f"Table {name}: no change."
    parts = [f"{plural(changes.rows_added, 'row')} added", f"{changes.rows_removed} removed",
             f"{plural(len(changes.revisions), 'value')} revised"]
    if changes.status_changes:
        parts.append(f"{plural(len(changes.status_changes), 'status change')}")
    if changes.years_added:
        parts.append(f"years added: {span(changes.years_added)}")
    return f"Table {name}: " + ", ".join(parts) + "."


def table_report(changes, keys: list[str], limit: int | None) -> list[str]:
    """The changes to one table of a source other than milex, indented under its heading."""
    lines = [f"  {plural(changes.rows_added, 'row')} added, {changes.rows_removed} removed; "
             f"{plural(len(changes.revisions), 'value')} revised; "
             f"{plural(len(changes.status_changes), 'status change')}."]
    if changes.years_added:
        lines.append(f"  Years added: {span(changes.years_added)}.")
    if changes.revisions:
        for revision in changes.revisions:
            name_country(revision.label)
        columns = ["country" if key == "iso3" else key for key in keys[:4]] + ["column"]
        lines += table_changes.format_revisions(changes.revisions, limit, columns)
    if changes.empty and not changes.years_added:
        lines.append("  No change.")
    return lines


# --------------------------------------------------------------------------------------------- claims


def claims_report(old_folder: Path, new_folder: Path,
                  check: Callable[[Path], pd.DataFrame] | None = None) -> list[str]:
    """Claims whose computed verdict differs between the current and the new data.

    ``check`` grades the claims of a data folder; by default both folders are graded by
    :func:`utils.read.claims.check_claims_between`, which leaves out the claims whose tables the refresh did not
    change (their verdicts cannot change). The check is advisory: a failure is reported in one line and never
    blocks the refresh. The first line says the outcome in a sentence (the summary repeats it); the lines after it
    name the claims whose verdict changes.
    """
    try:
        if check is None:
            before, after = claims.check_claims_between(old_folder, new_folder)
        else:
            before, after = check(old_folder), check(new_folder)
        columns = ["claim_id", "computed_verdict"] + (
            ["computed_label"] if "computed_label" in before.columns and "computed_label" in after.columns else []
        )
        merged = before[columns].merge(after[columns], on="claim_id", how="outer", suffixes=("_old", "_new"))
    except Exception as error:  # the claims check is advisory: report it, do not block the refresh
        reason = " ".join(f"{type(error).__name__}: {error}".split())
        return [f"Claims: check skipped (check_claims failed: {reason[:160]}{'...' if len(reason) > 160 else ''})."]
    changed = merged[merged["computed_verdict_old"].astype("string").fillna("-")
                     != merged["computed_verdict_new"].astype("string").fillna("-")]
    if changed.empty:
        return [f"Claims: {len(merged)} checked against the new data; no verdict changes."]
    lines = [f"Claims whose verdict changes: {len(changed)} of {len(merged)}"]
    for row in changed.sort_values("claim_id").to_dict("records"):
        line = f"  {row['claim_id']}: {row['computed_verdict_old']} -> {row['computed_verdict_new']}"
        if "computed_label_new" in row:
            line += f" (computed: {shorten(row['computed_label_old'])} -> {shorten(row['computed_label_new'])})"
        lines.append(line)
    return lines


def shorten(text, width: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 3] + "..."


def printed(summary: list[str], details: list[str], claims_lines: list[str]) -> list[str]:
    """The whole report: the summary with the claims' outcome, then the details and the claims that change."""
    opening = ["In short:"]
    for sentence in summary + claims_lines[:1]:
        opening += textwrap.wrap(sentence, SUMMARY_WIDTH, initial_indent="  ", subsequent_indent="    ")
    return opening + [""] + details + claims_lines[1:]

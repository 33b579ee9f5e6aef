"""The lines of the refresh's change report (``python -m utils.write.refresh``).

Every function here takes plain values (frames, provenance dictionaries, a limit) and returns lines of text; none
reads files or prints. :mod:`utils.write.refresh_plan` decides what to compare, and calls these to explain it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pandas as pd

from utils.read import claims, countries
from utils.write.importers import changes as table_changes


# --------------------------------------------------------------------------------------------- milex: headings


def release_summary(info: dict[str, Any]) -> str:
    first, last = info["years"]
    return f"{info['edition']} (constant {info['price_base']} US$; years {first}-{last})"


def data_summary(info: dict[str, Any]) -> str:
    text = f"{info['edition']} (constant {info['price_base']} US$)" if info.get("edition") else "SIPRI data"
    comparison = info.get("comparison")
    if comparison:
        text += f", plus the constant {comparison['price_base']} US$ series of {comparison['edition']}"
    return text


def milex_heading(file_name: str, info: dict[str, Any], shown_folder: str | None,
                  current_info: dict[str, Any]) -> list[str]:
    """What the file is, and (when the data folder has a milex table) what the data holds now."""
    lines = [f"{file_name}: {release_summary(info)}."]
    if shown_folder is not None:
        lines.append(f"{shown_folder}/milex.csv: {data_summary(current_info)}.")
    return lines


def older_release_note(current_release: int) -> str:
    return (f"This file is an OLDER release than the data: below is what the {current_release} release revised "
            f"relative to it. It will not be installed.")


def new_table_note(rows: int) -> str:
    return f"milex.csv does not exist yet: it will be created with {rows} rows."


def release_note(release: int, current_release: int) -> str:
    if release == current_release:
        return f"Same release as the data ({release}): comparing value by value."
    return f"New release: replaces the {current_release} release's rows."


# --------------------------------------------------------------------------------------------- milex: changes


def release_report(module, old, new, limit: int | None) -> list[str]:
    """Compare two SIPRI releases like with like, measure by measure."""
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
                f"{label}: the {new_release} release's {new_constant[0]} series converted to {older_base} prices with "
                f"each country's own current/constant ratio for {older_base} in that release, then compared"
                + (f"; not rebased (no {older_base} figures): {', '.join(missing)}" if missing else "") + "."
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
        rows.append([measure, str(changes.rows_added), str(changes.rows_removed),
                     str(len(changes.revisions)), str(len(changes.status_changes))])
    lines += table_changes.table_lines(["measure (compared directly)", "rows added", "rows removed", "values revised",
                                        "status changes"], rows)
    lines += [note for note in notes if note]
    lines += changes_details(total, limit, label_columns=("country", "year", "measure"))
    return lines


def unpaired_measure(measure: str, old_measures: set, new_measures: set, old, new) -> str:
    """A note on a measure present in one release only: usually the constant-US$ series moving to a new base."""
    old_constant = sorted(m for m in old_measures if m.startswith("constant_usd_"))
    new_constant = sorted(m for m in new_measures if m.startswith("constant_usd_"))
    if measure.startswith("constant_usd_") and old_constant and new_constant:
        if measure not in new_constant:
            return ""  # reported once, with the new release's measure
        return (f"{old_constant[0]} -> {measure}: rebased from {old_constant[0][-4:]} to {measure[-4:]} prices, so "
                f"every value changes; not compared value by value (compare current_usd and the shares instead).")
    if measure in new_measures:
        return f"{measure}: new in the {int(new['release'].iloc[0])} release ({int((new['measure'] == measure).sum())} rows)."
    return f"{measure}: not in the {int(new['release'].iloc[0])} release ({int((old['measure'] == measure).sum())} rows dropped)."


def changes_details(changes, limit: int | None, label_columns) -> list[str]:
    lines = []
    if changes.years_added:
        lines.append(f"Years added: {span(changes.years_added)}")
    if changes.years_removed:
        lines.append(f"Years removed: {span(changes.years_removed)}")
    if changes.empty and not changes.years_added:
        lines.append("No change in these measures: every value, status and year is the same (within rounding).")
        return lines
    count = len(changes.revisions)
    shown = f" (the {limit} largest; --all lists every one)" if limit is not None and count > limit else ""
    lines.append(f"Values revised beyond rounding (more than {table_changes.RELATIVE_TOLERANCE:.2%}), largest first: "
                 f"{count}{shown}")
    for revision in changes.revisions:
        name_country(revision.label)
    if count:
        lines += table_changes.format_revisions(changes.revisions, limit, label_columns, show=show_revision)
        lines += revisions_by_country(changes.revisions)
    count = len(changes.status_changes)
    statuses = changes.status_changes if limit is None else changes.status_changes[:limit]
    shown = f" (the first {limit}; --all lists every one)" if len(statuses) < count else ""
    lines.append(f"Status changes: {count}{shown}")
    rows = []
    for change in statuses:
        name_country(change.label)
        value = "" if table_changes.missing(change.new_value) else show_value(change.label, change.new_value)
        rows.append([str(change.label.get(c, "")) for c in label_columns] + [change.old, change.new, value])
    if rows:
        lines += table_changes.table_lines(list(label_columns) + ["old status", "new status", "new value"], rows)
    return lines


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


def show_value(label: dict, value: float) -> str:
    measure = str(label.get("measure", ""))
    if measure.startswith("share_"):
        return f"{value * 100:.2f}%"
    return f"{value:,.1f}"


def span(years: list[int]) -> str:
    """Sorted years as runs: [1992, 1993, 1994, 2008] -> "1992-1994, 2008"."""
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{run[0]}-{run[-1]}" if len(run) > 2 else ", ".join(map(str, run)) for run in runs)


def measure_order(measure: str):
    stems = ("constant_usd", "current_usd", "share_gdp", "share_govt", "per_capita")
    stem = "constant_usd" if measure.startswith("constant_usd_") else measure
    return (stems.index(stem) if stem in stems else len(stems), measure)


def comparison_report(current, current_info, stored, comparison_info) -> list[str]:
    """One or two lines on the comparison release (kept, replaced, added)."""
    old = current_info.get("comparison")
    if old is None and comparison_info is None:
        return ["Comparison release: none (add one with --comparison OLDER_FILE)."]
    if comparison_info is None:
        return [f"Comparison release: {old['edition']} removed."]
    rows_new = int((stored["release"] == comparison_info["release"]).sum())
    if old is None:
        return [f"Comparison release: {comparison_info['edition']} added ({rows_new} rows)."]
    if old.get("source_sha256") == comparison_info.get("source_sha256"):
        return [f"Comparison release: {old['edition']} kept ({rows_new} rows, constant "
                f"{comparison_info['price_base']} US$, from {comparison_info['source_file']})."]
    rows_old = int((current["release"] == old["release"]).sum())
    return [f"Comparison release: {old['edition']} ({old['source_file']}, {rows_old} rows) replaced by "
            f"{comparison_info['edition']} ({comparison_info['source_file']}, {rows_new} rows)."]


# --------------------------------------------------------------------------------------------- other sources


def table_heading(name: str, rows: int, file_name: str, exists: bool) -> list[str]:
    lines = [f"{name}: {rows} rows from {file_name}."]
    if not exists:
        lines.append(f"  {name}.csv does not exist yet: it will be created.")
    return lines


def table_report(changes, keys: list[str], limit: int | None) -> list[str]:
    """The changes to one table of a source other than milex, indented under its heading."""
    lines = [f"  rows added {changes.rows_added}, removed {changes.rows_removed}; "
             f"{len(changes.revisions)} values revised, {len(changes.status_changes)} status changes"]
    if changes.years_added:
        lines.append(f"  years added: {span(changes.years_added)}")
    if changes.revisions:
        lines += table_changes.format_revisions(changes.revisions, limit, list(keys[:4]) + ["column"])
    if changes.empty and not changes.years_added:
        lines.append("  No change.")
    return lines


# --------------------------------------------------------------------------------------------- claims


def claims_report(old_folder: Path, new_folder: Path,
                  check: Callable[[Path], pd.DataFrame] | None = None) -> list[str]:
    """Claims whose computed verdict differs between the current and the new data.

    ``check`` grades the claims of a data folder (default :func:`utils.read.claims.check_claims`). The check is
    advisory: a failure is reported in one line and never blocks the refresh.
    """
    check = check or claims.check_claims
    try:
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
        return [f"Claims: {len(merged)} checked, no verdict changes."]
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


UNCHANGED_CLAIMS = "Claims: the data would not change, so no verdict can change."

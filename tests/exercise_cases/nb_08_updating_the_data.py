"""Plausible wrong answers for notebook 08 (see tests/exercise_cases/__init__.py)."""

WRONG = {
    "Exercise 1": [
        # Only the revised values, not the changed flag.
        "same_flag = changed['status_before'] == changed['status_after']\n"
        "found = sorted(set(zip(changed.loc[same_flag, 'iso3'], changed.loc[same_flag, 'year'])))",
        "found = [('Russia', 2020), ('Armenia', 2021)]",
        "found = 'Belarus 2025'",
    ],
    "Exercise 2": [
        "moved_years = sorted(set(changed['year']))",
        "moved_years = [int(changed['year'].max())]",
        # Rows of a one-column table, not years.
        "moved_years = sorted(changed[['year']].drop_duplicates().values.tolist())",
    ],
    "Exercise 3": [
        "belarus_ax = sns.lineplot(data=constant[constant['country'] == 'Belarus'], x='year', y='value')",
        "belarus_ax = sns.lineplot(data=constant[constant['country'] == 'Kazakhstan'], x='year', y='value', hue='release')\n"
        "belarus_ax.set(ylabel='US$ million')",
    ],
    "Exercise 4": [
        "share_2019_undone = metrics.russia_share_of_milex(2019, edition=NEW, milex=milex)",
        "share_2019_undone = metrics.russia_share_of_milex(2020, edition=NEW, milex=metrics.undo_suspect_breaks(milex))",
        # Every year's share, not 2019's.
        "share_2019_undone = metrics.russia_share_by_year(NEW, milex=metrics.undo_suspect_breaks(milex))",
    ],
}

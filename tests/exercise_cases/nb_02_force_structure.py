"""Plausible wrong answers for the exercises of 02_force_structure.ipynb (see tests/exercise_cases/__init__.py)."""

WRONG = {
    "Exercise 1": [
        # the date itself, not its year
        'first = collective.sort_values("established").iloc[0]\noldest_force, oldest_year = first["force"], first["established"]',
        # the largest force, not the oldest
        'oldest_force, oldest_year = "CRRF", 2009',
        # right force, year as text
        'oldest_force, oldest_year = "CRDF", "2001"',
        # the newest: sorted the wrong way
        'first = collective.sort_values("established", ascending=False).iloc[0]\n'
        'oldest_force, oldest_year = first["force"], int(first["established"].year)',
    ],
    "Exercise 2": [
        # fractions, not per cent
        'share_2010 = {s: float(personnel[(personnel["year"] == 2010) & (personnel["source_id"] == s) & personnel["country"].eq("RUS")]["active_personnel"].iloc[0]'
        ' / personnel[(personnel["year"] == 2010) & (personnel["source_id"] == s)]["active_personnel"].sum()) for s in ("wb_personnel", "cow_nmc_6")}',
        # Russia over the others, not over the total
        'share_2010 = {}\nfor s in ("wb_personnel", "cow_nmc_6"):\n'
        '    rows = personnel[(personnel["year"] == 2010) & (personnel["source_id"] == s)].set_index("country")["active_personnel"]\n'
        '    share_2010[s] = float(100 * rows["RUS"] / rows.drop("RUS").sum())',
        # only one source
        'share_2010 = {"wb_personnel": 80.1}',
    ],
    "Exercise 3": [
        # every facility, including the one without a known end
        'years_left = (bases.set_index("facility")["agreement_until"].dt.year - AS_OF.year)',
        # years since the facility opened
        'known = bases.dropna(subset=["agreement_until"]).set_index("facility")\n'
        'years_left = (AS_OF.year - known["established"].dt.year).fillna(0)',
        # a list, not a Series
        'years_left = list(bases.dropna(subset=["agreement_until"])["agreement_until"].dt.year - AS_OF.year)',
    ],
    "Exercise 4": [
        # right data, seaborn's own labels (column names)
        'ax_held = sns.countplot(data=exercises[exercises["status"] == "held"], x="year")',
        # every exercise, announced and cancelled included
        'ax_held = sns.countplot(data=exercises, x="year")\nax_held.set(xlabel="Year", ylabel="Exercises")',
        # the counts, not a chart
        'ax_held = exercises.loc[exercises["status"] == "held", "year"].value_counts()',
    ],
    "Exercise 5": [
        # the analyst's 20,000 instead of the CSTO's own figure
        'wb = wide.loc["wb_personnel"].dropna()\ncrrf_share = float(100 * 20000 / wb.iloc[-1].sum())',
        # a fraction
        'wb = wide.loc["wb_personnel"].dropna()\ncrrf_share = float(18000 / wb.iloc[-1].sum())',
        # the Correlates of War total
        'cow = wide.loc["cow_nmc_6"].dropna()\ncrrf_share = float(100 * 18000 / cow.iloc[-1].sum())',
    ],
}

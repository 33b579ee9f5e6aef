"""Plausible wrong answers for lesson 06 (politics and partners)."""

WRONG = {
    "Exercise 1": [
        # The first SCO role of any kind, not full membership.
        'belarus_sco_year = int(memberships.query("organisation == \'SCO\' and country == \'BLR\'")["start"].min().year)',
        # The observer spell.
        "belarus_sco_year = 2015",
        # The date the membership started, not its year.
        'belarus_sco_year = memberships.query("organisation == \'SCO\' and country == \'BLR\' and role == \'member\'")["start"].min()',
    ],
    "Exercise 2": [
        # Counts every role running on the date, observers and dialogue partners included.
        'sco_counts = {y: int(memberships[(memberships["organisation"] == "SCO") & memberships["country"].isin(CSTO_MEMBERS) '
        '& (memberships["start"] <= f"{y}-12-31") & (memberships["end"].isna() | (memberships["end"] > f"{y}-12-31"))].shape[0]) '
        "for y in (2020, 2025)}",
        # Reads the article's count for both years.
        "sco_counts = {2020: 4, 2025: 4}",
        # The members themselves, not how many.
        'sco_counts = {2020: ["KAZ", "KGZ", "RUS", "TJK"], 2025: ["BLR", "KAZ", "KGZ", "RUS", "TJK"]}',
    ],
    "Exercise 3": [
        # All years, not from 2015.
        'kaz = arms[arms["recipient"] == "KAZ"].groupby("supplier")["tiv"].sum().nlargest(5)\n'
        'ax_kaz = sns.barplot(x=kaz.to_numpy(), y=kaz.index)\nax_kaz.set(xlabel="TIV", ylabel="Supplier")',
        # Every supplier, not the five largest.
        'kaz = arms[(arms["recipient"] == "KAZ") & (arms["year"] >= 2015)].groupby("supplier")["tiv"].sum()\n'
        'ax_kaz = sns.barplot(x=kaz.to_numpy(), y=kaz.index)\nax_kaz.set(xlabel="TIV", ylabel="Supplier")',
        # A figure-level chart: catplot returns a FacetGrid, not an Axes.
        'kaz = arms[(arms["recipient"] == "KAZ") & (arms["year"] >= 2015)].groupby("supplier", as_index=False)["tiv"].sum().nlargest(5, "tiv")\n'
        'ax_kaz = sns.catplot(data=kaz, x="tiv", y="supplier", kind="bar")',
    ],
    "Exercise 4": [
        # Fractions, not per cents.
        'recent = arms[arms["recipient"].isin(["KAZ", "KGZ", "TJK"]) & (arms["year"] >= arms["year"].max() - 9)]\n'
        'table = recent.pivot_table(index="recipient", columns="supplier", values="tiv", aggfunc="sum", fill_value=0)\n'
        'russia_share_by_member = table["RUS"] / table.sum(axis=1)',
        # Over the whole table instead of the last ten years.
        'table = arms[arms["recipient"].isin(["KAZ", "KGZ", "TJK"])].pivot_table(index="recipient", columns="supplier", '
        'values="tiv", aggfunc="sum", fill_value=0)\nrussia_share_by_member = table["RUS"] / table.sum(axis=1) * 100',
    ],
}

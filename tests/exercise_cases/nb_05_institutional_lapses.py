"""Plausible wrong answers for lesson 05 (institutional lapses)."""

WRONG = {
    "Exercise 1": [
        'no_help = int((requests["outcome"] == "declined").sum())',
        "no_help = len(requests)",
        # The rows, not their count.
        'no_help = requests[requests["outcome"].isin(["declined", "no response"])]',
    ],
    "Exercise 2": [
        # Forgets the end of the spells: keeps Uzbekistan, whose membership was suspended in December 2012.
        'members_2013 = memberships.query("organisation == \'CSTO\' and role == \'member\'")["country"].unique().tolist()',
        # Leaves out members whose spells were running that day.
        'members_2013 = ["Russia", "Belarus", "Kazakhstan"]',
    ],
    "Exercise 3": [
        # Counts every conflict-year, including support sent abroad.
        'ax_home = sns.countplot(data=fighting, y="state")\nax_home.set(xlabel="Conflict-years", ylabel="State")',
        # Right bars, but no axis labels.
        'ax_home = sns.countplot(data=fighting[fighting["kind"] == "at home"], y="state")\nax_home.set(xlabel="", ylabel="")',
        # A figure-level chart: catplot returns a FacetGrid, not an Axes.
        'ax_home = sns.catplot(data=fighting[fighting["kind"] == "at home"], y="state", kind="count")',
    ],
    "Exercise 4": [
        # An inner merge drops the requests made in years without a conflict-year.
        'matched = requests.assign(year=requests["date"].dt.year).merge(fighting[["state", "year", "kind"]].drop_duplicates(), '
        'left_on=["requester", "year"], right_on=["state", "year"])[["request_id", "kind"]]',
        # Matches on the year only, so other states' conflicts are attached to each request.
        'matched = requests.assign(year=requests["date"].dt.year).merge(fighting[["year", "kind"]].drop_duplicates(), '
        'on="year", how="left")[["request_id", "kind"]]',
    ],
}

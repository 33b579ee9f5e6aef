"""Plausible wrong answers for the exercises of 01_history.ipynb (see tests/exercise_cases/__init__.py)."""

WRONG = {
    "Exercise 1": [
        # today's full members: forgets the spell that has ended since 2010
        'members_2010 = ["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"]',
        # the treaty (CST) instead of the organisation: it had become the CSTO by 2010
        'members_2010 = list(roles_on("2010-12-31", ["CST"])["country"])',
        # a single number instead of the list
        'members_2010 = 7',
    ],
    "Exercise 2": [
        # the form the old check accepted: a list of two numbers
        "uzbekistan_years = [1.0, 2.0]",
        # only the organisation's spell
        'uzb = memberships[(memberships["country"] == "UZB") & (memberships["organisation"] == "CSTO") & (memberships["role"] == "member")]\n'
        'uzbekistan_years = float(((uzb["end"] - uzb["start"]).dt.days / 365.25).sum())',
        # every Uzbek spell, up to the reference date (suspension counted as membership)
        'uzb = memberships[(memberships["country"] == "UZB") & memberships["organisation"].isin(["CST", "CSTO"])]\n'
        'uzbekistan_years = float(((uzb["end"].fillna(AS_OF) - uzb["start"]).dt.days / 365.25).sum())',
    ],
    "Exercise 3": [
        # a fraction, not a percentage
        'late_share = summits["date"].dt.month.isin([10, 11, 12]).mean()',
        # a count, not a share
        'late_share = float(summits["date"].dt.month.isin([10, 11, 12]).sum())',
        # January-March instead
        'late_share = 100 * summits["date"].dt.month.isin([1, 2, 3]).mean()',
    ],
    "Exercise 4": [
        # right data, seaborn's own labels (column names) left as they are
        'ax_events = sns.countplot(data=events[events["date"] >= "2015-01-01"], y="category")',
        # every year, not 2015 on
        'ax_events = sns.countplot(data=events, y="category")\nax_events.set(xlabel="Events", ylabel="Category")',
        # the counts, not a chart
        'ax_events = events.loc[events["date"] >= "2015-01-01", "category"].value_counts()',
        # right data, no axis labels
        'ax_events = sns.countplot(data=events[events["date"] >= "2015-01-01"], y="category")\nax_events.set(xlabel="", ylabel="")',
    ],
    "Exercise 5": [
        # a title, not an id
        'my_event = "Armenia freezes its participation"',
        # a row number
        "my_event = 112",
    ],
}

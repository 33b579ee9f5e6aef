"""Plausible wrong answers for notebook 07 (see tests/exercise_cases/__init__.py)."""

WRONG = {
    "Exercise 1": [
        "interpretive_2017 = int((ledger['verdict'] == 'interpretive').sum())",
        "interpretive_2017 = int(((ledger['article'] == '2020–21 article') & (ledger['verdict'] == 'interpretive')).sum())",
        # The rows, not their count.
        "interpretive_2017 = ledger[(ledger['article'] == '2017 article') & (ledger['verdict'] == 'interpretive')]",
    ],
    "Exercise 2": [
        "state_media_only = list(cites_state_media) + ['000-01']",
        "state_media_only = 'state_media'",
    ],
    "Exercise 3": [
        "shares_2019 = {e: metrics.russia_share_of_milex(2020, edition=e) for e in vocabulary.editions(milex)}",
        "shares_2019 = {'2026 release': 93.9, '2024 release': 95.4}",
        # Every year's share, not 2019's.
        "shares_2019 = {e: metrics.russia_share_by_year(e) for e in vocabulary.editions(milex)}",
    ],
    "Exercise 4": [
        "topic_ax = sns.countplot(data=ledger, y='verdict')",
        "topic_ax = sns.countplot(data=ledger, y='topic')\ntopic_ax.set(xlabel='Number of claims')",
    ],
    "Exercise 5": [
        "rows = milex[(milex['iso3'] == 'KAZ') & (milex['edition'] == newer)]\n"
        "pivot = rows.pivot_table(index='year', columns='measure', values='value')\n"
        "kaz_ratio = (pivot['current_usd'] / pivot[vocabulary.constant_measure(milex, newer)]).dropna()",
        "kaz_ratio = between[between['iso3'] == 'KAZ'].set_index('year')['ratio']",
    ],
}

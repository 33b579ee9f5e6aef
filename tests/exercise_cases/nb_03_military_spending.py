"""Plausible wrong answers for notebook 03 (military spending)."""

WRONG = {
    "Exercise 1": [
        # the whole row of the table, not one number
        'russia_burden = newest.query("iso3 == \'RUS\' and measure == \'share_gdp\'").tail(1)',
        # SIPRI stores the share of GDP as a fraction: forgot to multiply by 100
        "russia_burden = newest.query(\"iso3 == 'RUS' and measure == 'share_gdp' and year == @LAST\")['value'].iloc[0]",
        # the last year before the full-scale war instead of the newest year
        "russia_burden = 100 * newest.query(\"iso3 == 'RUS' and measure == 'share_gdp' and year == 2021\")['value'].iloc[0]",
    ],
    "Exercise 2": [
        # the constant-dollar share of the same year
        "wide = newest[(newest['measure'] == CONSTANT) & newest['iso3'].isin(MEMBERS)].pivot(index='year', columns='iso3', values='value')\n"
        "current_2020 = 100 * wide.loc[2020, 'RUS'] / wide.loc[2020].sum()",
        # a fraction instead of per cent
        "wide = newest[(newest['measure'] == 'current_usd') & newest['iso3'].isin(MEMBERS)].pivot(index='year', columns='iso3', values='value')\n"
        "current_2020 = wide.loc[2020, 'RUS'] / wide.loc[2020].sum()",
        # Russia against the other five only
        "wide = newest[(newest['measure'] == 'current_usd') & newest['iso3'].isin(MEMBERS)].pivot(index='year', columns='iso3', values='value')\n"
        "current_2020 = 100 * wide.loc[2020, 'RUS'] / wide.loc[2020].drop('RUS').sum()",
    ],
    "Exercise 3": [
        # looked at 1995-2019 only, where Kazakhstan's block is flat
        "flat_states = ['RUS', 'ARM', 'BLR', 'TJK', 'KAZ']",
        # forgot Tajikistan
        "flat_states = ['Russia', 'Armenia', 'Belarus']",
        "flat_states = 'RUS'",
    ],
    "Exercise 4": [
        # right line, seaborn's own labels (column names)
        "wide = newest[newest['iso3'] == 'KAZ'].pivot(index='year', columns='measure', values='value')\n"
        "kaz_ratio = (wide[CONSTANT] / wide['current_usd']).rename('ratio').reset_index()\n"
        "kaz_ax = sns.lineplot(kaz_ratio, x='year', y='ratio')",
        # drew the constant-dollar series itself, not the ratio
        "kaz = newest[(newest['iso3'] == 'KAZ') & (newest['measure'] == CONSTANT)]\n"
        "kaz_ax = sns.lineplot(kaz, x='year', y='value')\nkaz_ax.set(xlabel='Year', ylabel='US$ million')",
        # the ratio upside down
        "wide = newest[newest['iso3'] == 'KAZ'].pivot(index='year', columns='measure', values='value')\n"
        "kaz_ax = sns.lineplot(x=wide.index, y=wide['current_usd'] / wide[CONSTANT])\nkaz_ax.set(xlabel='Year', ylabel='ratio')",
    ],
}

"""Plausible wrong answers for notebook 09 (burden-sharing)."""

WRONG = {
    "Exercise 1": [
        # a fraction instead of per cent
        "russia_share = float(csto.loc[NEWEST, 'largest_share_of_spending']) / 100",
        # Russia's share of the members' GDP, not of their spending
        "russia_share = float(csto.loc[NEWEST, 'largest_share_of_gdp'])",
        # the United States' share in NATO
        "russia_share = float(nato.loc[NEWEST, 'largest_share_of_spending'])",
    ],
    "Exercise 2": [
        # Pearson's correlation of the values, not of their ranks
        "rows = members.query(\"alliance == 'NATO' and year == 2014\")\n"
        "rho_2014 = rows['gdp'].corr(rows['share_gdp'])",
        # spending instead of GDP
        "rows = members.query(\"alliance == 'NATO' and year == 2014\")\n"
        "rho_2014 = rows['current_usd'].rank().corr(rows['share_gdp'].rank())",
        # the CSTO's members in 2014
        "rows = members.query(\"alliance == 'CSTO' and year == 2014\")\n"
        "rho_2014 = rows['gdp'].rank().corr(rows['share_gdp'].rank())",
    ],
    "Exercise 3": [
        # the 10% level instead of 5%
        "significant_after_1967 = [int(y) for y in nato.loc[1968:].index[nato.loc[1968:, 'p_value'] < 0.10]]",
        # every significant year, the 1950s and 1960s included
        "significant_after_1967 = [int(y) for y in nato.index[nato['p_value'] < 0.05]]",
        # stopped at the end of the Cold War
        "significant_after_1967 = [int(y) for y in nato.loc[1968:1991].index[nato.loc[1968:1991, 'p_value'] < 0.05]]",
    ],
    "Exercise 4": [
        # Russia's share of GDP instead of its share of spending
        "csto_ax = sns.lineplot(csto.reset_index(), x='year', y='largest_share_of_gdp')\n"
        "csto_ax.set(xlabel='Year', ylabel='Share (%)')",
        # NATO's leader instead of the CSTO's
        "csto_ax = sns.lineplot(nato.reset_index(), x='year', y='largest_share_of_spending')\n"
        "csto_ax.set(xlabel='Year', ylabel='Share (%)')",
    ],
    "Exercise 5": [
        # the value for six members
        "critical_5 = float(critical[6])",
        # the two-sided critical value
        "critical_5 = 1.0",
        # the 10% level
        "critical_5 = 0.7",
    ],
}

"""Plausible wrong answers for notebook 04 (arms trade)."""

WRONG = {
    "Exercise 1": [
        # the share as text
        "belarus_top, belarus_share = 'Russia', '64%'",
        # the share as a fraction
        "rows = imports[(imports['recipient'] == 'BLR') & imports['year'].between(2010, 2019)]\n"
        "by_supplier = rows.groupby('supplier')['tiv'].sum()\n"
        "belarus_top, belarus_share = by_supplier.idxmax(), by_supplier.max() / by_supplier.sum()",
        # the whole period instead of 2010-2019, and the second supplier
        "belarus_top, belarus_share = 'Ukraine', 2.0",
    ],
    "Exercise 2": [
        # one year (the window's end) instead of a pair
        'closest_window = 2017',
        # the article's own window, which is not the closest
        "closest_window = (2013, 2017)",
        # a window of six years
        "closest_window = (2012, 2017)",
    ],
    "Exercise 3": [
        # right bars, no axis labels of its own
        "rows = imports[(imports['recipient'] == 'KAZ') & imports['year'].between(2015, 2024)]\n"
        "shares = 100 * rows.groupby('supplier_name')['tiv'].sum() / rows['tiv'].sum()\n"
        "kaz_ax = sns.barplot(x=shares.to_numpy(), y=shares.index)",
        # TIV totals instead of shares
        "rows = imports[(imports['recipient'] == 'KAZ') & imports['year'].between(2015, 2024)]\n"
        "totals = rows.groupby('supplier_name')['tiv'].sum()\n"
        "kaz_ax = sns.barplot(x=totals.to_numpy(), y=totals.index)\nkaz_ax.set(xlabel='TIV', ylabel='Supplier')",
        # the wrong years (2010-2019)
        "rows = imports[(imports['recipient'] == 'KAZ') & imports['year'].between(2010, 2019)]\n"
        "shares = 100 * rows.groupby('supplier_name')['tiv'].sum() / rows['tiv'].sum()\n"
        "kaz_ax = sns.barplot(x=shares.to_numpy(), y=shares.index)\nkaz_ax.set(xlabel='%', ylabel='Supplier')",
    ],
    "Exercise 4": [
        # orders before 2015 included
        "kaz_orders = deals[deals['recipient'] == 'KAZ']['supplier'].value_counts()",
        # strictly after 2015
        "kaz_orders = deals[(deals['recipient'] == 'KAZ') & (deals['order_year'] > 2015)]['supplier_name'].value_counts()",
        # a plain number
        "kaz_orders = 12",
    ],
}

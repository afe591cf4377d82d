"""Text that a spreadsheet must show, never run (CSV and Excel formula injection).

A bidder's name comes from an imported register, a justification from a person: a cell that
starts like a formula is written with a leading apostrophe, which spreadsheets read as "this is
text". Numbers stay numbers.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value

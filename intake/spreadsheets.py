"""Cells for CSV files staff open in a spreadsheet app."""


def safe_cell(value: object) -> object:
    """Stop a spreadsheet app running a typed value as a formula ("=HYPERLINK(...)"):
    text starting with a formula character gets a leading apostrophe. Numbers stay numbers."""
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + text
    return text

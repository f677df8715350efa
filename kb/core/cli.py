"""Pieces every command line of kb shares."""
from __future__ import annotations

import argparse
import datetime as dt


def date_argument(text: str) -> dt.date:
    """``--today 2027-01-31``: a date YYYY-MM-DD, or a usage error saying what was expected."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None

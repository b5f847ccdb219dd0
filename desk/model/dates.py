"""Date formatting per site profile, locale-free so output never depends on the machine."""

from __future__ import annotations

from datetime import date

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
#: AP/Reuters abbreviations for datelines and tight spaces.
AP_MONTHS = (
    "Jan.",
    "Feb.",
    "March",
    "April",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
)


def format_date(value: date, pattern: str) -> str:
    """Fill a profile pattern such as ``{month_name} {day}, {year}``."""
    return pattern.format(
        month_name=MONTHS[value.month - 1],
        ap_month=AP_MONTHS[value.month - 1],
        month=f"{value.month:02d}",
        day=value.day,
        dd=f"{value.day:02d}",
        year=value.year,
    )

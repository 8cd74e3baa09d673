"""{% load local_dates %}: dates in the active language from CLDR data (see core.dates).

    {{ session.starts_at|local_datetime:"full" }}   mercredi 2 décembre 2026 à 09:30
    {{ session.starts_at|local_date:"MMMEd" }}      mer. 2 déc.
    {{ session.starts_at|local_time }}              09:30

Values may be datetimes, dates or ISO strings; times are shown in Brussels time.
"""

from django import template

from interra.core import dates

register = template.Library()


@register.filter
def local_datetime(value, fmt="medium"):
    return dates.format_local_datetime(value, fmt)


@register.filter
def local_date(value, fmt="medium"):
    return dates.format_local_date(value, fmt)


@register.filter
def local_time(value):
    return dates.format_local_time(value)

"""Date and number formats for Tigrinya (ti), generated from CLDR
by scripts/cldr_framework_data.py (Django ships none for this language)."""

DATE_FORMAT = 'F j, Y'
TIME_FORMAT = 'g:i A'
DATETIME_FORMAT = 'F j, Y g:i A'
YEAR_MONTH_FORMAT = 'F Y'
MONTH_DAY_FORMAT = 'j F'
SHORT_DATE_FORMAT = 'n/j/y'
SHORT_DATETIME_FORMAT = 'n/j/y g:i A'
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = '.'
THOUSAND_SEPARATOR = ','
NUMBER_GROUPING = 3

"""Date and number formats for Pashto (ps), generated from CLDR
by scripts/cldr_framework_data.py (Django ships none for this language)."""

DATE_FORMAT = 'j F Y'
TIME_FORMAT = 'G:i'
DATETIME_FORMAT = 'j F Y G:i'
YEAR_MONTH_FORMAT = 'Y F'
MONTH_DAY_FORMAT = 'F j'
SHORT_DATE_FORMAT = 'Y/n/j'
SHORT_DATETIME_FORMAT = 'Y/n/j G:i'
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ','
THOUSAND_SEPARATOR = '.'
NUMBER_GROUPING = 3

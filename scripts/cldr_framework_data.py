"""Generate, from CLDR data (Babel), what Django lacks for our languages it does not ship
(Tigrinya, Pashto):

- format modules ``src/interra/formats/<lang>/formats.py`` (FORMAT_MODULE_PATH), so that
  ``|date:"SHORT_DATE_FORMAT"`` and friends follow the language's conventions;
- the month, weekday and am/pm names in ``src/interra/locale_framework/<lang>/LC_MESSAGES/
  django.po`` (Django's own msgids from django/utils/dates.py and dateformat.py), so that
  ``|date:"l j F"`` shows Tigrinya or Pashto words instead of the French fallback.

The other framework messages in those catalogues are translated by hand; this script
only (re)writes the date names. Run: .venv/bin/python scripts/cldr_framework_data.py
"""

import sys
from pathlib import Path

import polib
from babel import Locale

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = {"ti": "nplurals=2; plural=(n > 1);", "ps": "nplurals=2; plural=(n != 1);"}
MONTH_IDS = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]
MONTH_3_IDS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
               "dec"]
MONTH_AP_IDS = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.",
                "Oct.", "Nov.", "Dec."]
DAY_IDS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DAY_ABBR_IDS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

# CLDR pattern fields -> Django's date format characters.
CLDR_TO_DJANGO = {
    "yyyy": "Y", "yy": "y", "y": "Y",
    "MMMM": "F", "MMM": "M", "MM": "m", "M": "n",
    "LLLL": "F", "LLL": "M", "LL": "m", "L": "n",
    "dd": "d", "d": "j",
    "EEEE": "l", "EEE": "D", "E": "D", "cccc": "l", "ccc": "D",
    "HH": "H", "H": "G", "hh": "h", "h": "g",
    "mm": "i", "ss": "s", "a": "A",
}
DJANGO_SPECIAL = set("aAbBcdDeEfFgGhHiIjlLmMnNoOPrsStTuUwWyYzZ")


def django_format(pattern: str) -> str:
    """'EEEE፣ d MMMM y' -> 'l፣ j F Y' (quoted literals and letters escaped)."""
    out, i = [], 0
    tokens = sorted(CLDR_TO_DJANGO, key=len, reverse=True)
    while i < len(pattern):
        if pattern[i] == "'":
            end = pattern.index("'", i + 1) if "'" in pattern[i + 1:] else len(pattern)
            literal = pattern[i + 1:end] or "'"
            out.extend("\\" + ch if ch in DJANGO_SPECIAL else ch for ch in literal)
            i = end + 1
            continue
        for token in tokens:
            if pattern.startswith(token, i):
                out.append(CLDR_TO_DJANGO[token])
                i += len(token)
                break
        else:
            ch = pattern[i]
            if ch.isascii() and ch.isalpha():
                raise ValueError(f"CLDR field {ch!r} in {pattern!r} has no Django equivalent")
            out.append("\\" + ch if ch in DJANGO_SPECIAL else ch)
            i += 1
    return "".join(out).replace("\u202f", " ")


def formats_module(language: str) -> str:
    locale = Locale.parse(language)
    date_long = str(locale.date_formats["long"])
    date_short = str(locale.date_formats["short"])
    time_short = str(locale.time_formats["short"])
    joiner = str(locale.datetime_formats["medium"]).replace("'", "")
    skeletons = locale.datetime_skeletons
    values = {
        "DATE_FORMAT": django_format(date_long),
        "TIME_FORMAT": django_format(time_short),
        "DATETIME_FORMAT": joiner.format(django_format(time_short), django_format(date_long)),
        "YEAR_MONTH_FORMAT": django_format(str(skeletons["yMMMM"])),
        "MONTH_DAY_FORMAT": django_format(str(skeletons["MMMMd"])),
        "SHORT_DATE_FORMAT": django_format(date_short),
        "SHORT_DATETIME_FORMAT": joiner.format(django_format(time_short),
                                               django_format(date_short)),
    }
    symbols = locale.number_symbols.get("latn", locale.number_symbols)
    lines = [f'"""Date and number formats for {locale.english_name} ({language}), generated '
             "from CLDR\nby scripts/cldr_framework_data.py (Django ships none for this "
             'language)."""', ""]
    lines += [f"{name} = {value!r}" for name, value in values.items()]
    lines += [
        # CLDR counts Monday as 0; Django counts Sunday as 0.
        f"FIRST_DAY_OF_WEEK = {(locale.first_week_day + 1) % 7}",
        f"DECIMAL_SEPARATOR = {symbols['decimal']!r}",
        f"THOUSAND_SEPARATOR = {symbols['group']!r}",
        "NUMBER_GROUPING = 3",
        "",
    ]
    return "\n".join(lines)


def date_names(language: str) -> list[tuple[str, str, str]]:
    """(msgctxt, msgid, msgstr) for every date word Django translates."""
    locale = Locale.parse(language)
    months_format = locale.months["format"]
    months_alone = locale.months["stand-alone"]
    days = locale.days["format"]
    periods = locale.day_periods["format"]
    rows = []
    for number in range(1, 13):
        index = number - 1
        rows.append(("", MONTH_IDS[index], months_alone["wide"][number]))
        rows.append(("", MONTH_3_IDS[index], months_format["abbreviated"][number].lower()))
        rows.append(("abbrev. month", MONTH_AP_IDS[index],
                     months_format["abbreviated"][number]))
        # Django's "E": the form used inside a date (the genitive where a language has one).
        rows.append(("alt. month", MONTH_IDS[index], months_format["wide"][number]))
    for index in range(7):
        rows.append(("", DAY_IDS[index], days["wide"][index]))
        rows.append(("", DAY_ABBR_IDS[index], days["abbreviated"][index]))
    am = periods["abbreviated"]["am"]
    pm = periods["abbreviated"]["pm"]
    rows += [("", "AM", am), ("", "PM", pm), ("", "a.m.", am), ("", "p.m.", pm)]
    return rows


def update_catalogue(language: str, plural_forms: str) -> Path:
    path = ROOT / "src/interra/locale_framework" / language / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    po = polib.pofile(str(path)) if path.exists() else polib.POFile()
    po.metadata.update({
        "Project-Id-Version": "interra-framework",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms,
    })
    for context, msgid, msgstr in date_names(language):
        entry = po.find(msgid, msgctxt=context or False)
        if entry is None:
            entry = polib.POEntry(msgid=msgid, msgstr=msgstr, msgctxt=context or None,
                                  comment="From CLDR (scripts/cldr_framework_data.py)")
            po.append(entry)
        entry.msgstr = msgstr
    po.save(str(path))
    return path


def main() -> int:
    for language, plural_forms in LANGUAGES.items():
        module = ROOT / "src/interra/formats" / language / "formats.py"
        module.parent.mkdir(parents=True, exist_ok=True)
        (module.parent / "__init__.py").touch()
        module.write_text(formats_module(language), encoding="utf-8")
        print(module.relative_to(ROOT), update_catalogue(language, plural_forms).relative_to(ROOT))
    (ROOT / "src/interra/formats/__init__.py").touch()
    return 0


if __name__ == "__main__":
    sys.exit(main())

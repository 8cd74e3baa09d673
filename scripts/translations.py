#!/usr/bin/env python
"""Export the untranslated strings of every catalogue to JSON, and import them back.

    scripts/translations.py export DIR   # DIR/<lang>.json, one entry per string (English
                                         # is filled from the msgids themselves)
    scripts/translations.py import DIR   # fills the .po files from DIR/<lang>.json
    scripts/translations.py validate FILE # one JSON file: all translated, placeholders kept
    scripts/translations.py check        # exit 1 if a catalogue has untranslated or fuzzy entries

Imported strings are marked "Machine translation: please review." like the first ones,
so a human reviewer can find them. Placeholders (%(name)s, {name}, %d) must survive.
"""

import json
import re
import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[1] / "src" / "interra" / "locale"
NOTE = "Machine translation: please review."
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")


def catalogues():
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        yield po_path.parts[-3], po_path, polib.pofile(str(po_path), wrapwidth=0)


def pending(entry) -> bool:
    if entry.obsolete:
        return False
    if "fuzzy" in entry.flags:
        return True
    if entry.msgid_plural:
        return not all(entry.msgstr_plural.values())
    return not entry.msgstr


def fill_source_language(language: str = "en") -> None:
    """The msgids are English: the English catalogue says them as they are."""
    for lang, _po_path, po in catalogues():
        if lang != language:
            continue
        for entry in po:
            if not pending(entry):
                continue
            if entry.msgid_plural:
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
            else:
                entry.msgstr = entry.msgid
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        po.save()


def export(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    by_language: dict[str, list] = {}
    for language, po_path, po in catalogues():
        match = re.search(r"nplurals=(\d+)", po.metadata.get("Plural-Forms", ""))
        plurals = int(match.group(1)) if match else 2
        for entry in po:
            if pending(entry):
                by_language.setdefault(language, []).append({
                    "domain": po_path.stem, "context": entry.msgctxt or "",
                    "msgid": entry.msgid, "msgid_plural": entry.msgid_plural or "",
                    "msgstr": "", "msgstr_plural": [""] * plurals if entry.msgid_plural else [],
                })
    for language, entries in by_language.items():
        (directory / f"{language}.json").write_text(
            json.dumps(entries, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"{language}: {len(entries)} strings to translate")


def _check_placeholders(msgid: str, msgstr: str, where: str) -> None:
    if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(msgstr)):
        raise SystemExit(f"{where}: placeholders differ: {msgid!r} -> {msgstr!r}")


def import_(directory: Path) -> None:
    for language, po_path, po in catalogues():
        source = directory / f"{language}.json"
        if not source.exists():
            continue
        wanted = {
            (item["domain"], item["context"], item["msgid"]): item
            for item in json.loads(source.read_text(encoding="utf-8"))
        }
        done = 0
        for entry in po:
            item = wanted.get((po_path.stem, entry.msgctxt or "", entry.msgid))
            if item is None:
                continue
            where = f"{language}: {entry.msgid[:40]!r}"
            if entry.msgid_plural:
                forms = item.get("msgstr_plural") or []
                if not forms or not all(forms):
                    continue
                for form in forms:
                    _check_placeholders(entry.msgid_plural, form, where)
                entry.msgstr_plural = {i: form for i, form in enumerate(forms)}
            else:
                if not item.get("msgstr"):
                    continue
                _check_placeholders(entry.msgid, item["msgstr"], where)
                entry.msgstr = item["msgstr"]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            if NOTE not in (entry.comment or ""):
                entry.comment = NOTE
            done += 1
        po.save()
        print(f"{language}: {done} strings imported")


def validate(source: Path) -> int:
    """Check one JSON file before importing it: every string translated, placeholders kept."""
    problems = 0
    for item in json.loads(source.read_text(encoding="utf-8")):
        pairs = ([(item["msgid_plural"], form) for form in item["msgstr_plural"]]
                 if item["msgid_plural"] else [(item["msgid"], item["msgstr"])])
        for msgid, msgstr in pairs:
            if not msgstr:
                print(f"untranslated: {msgid[:60]!r}")
                problems += 1
            elif sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(msgstr)):
                print(f"placeholders differ: {msgid[:60]!r} -> {msgstr[:60]!r}")
                problems += 1
    print(f"{source.name}: {problems} problems")
    return 1 if problems else 0


def check() -> int:
    missing = 0
    for _language, po_path, po in catalogues():
        count = sum(1 for entry in po if pending(entry))
        if count:
            print(f"{po_path.relative_to(LOCALE)}: {count} untranslated or fuzzy")
            missing += count
    return 1 if missing else 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "export":
        fill_source_language()
        export(Path(sys.argv[2]))
    elif command == "import":
        import_(Path(sys.argv[2]))
    elif command == "validate":
        sys.exit(validate(Path(sys.argv[2])))
    elif command == "check":
        sys.exit(check())
    else:
        sys.exit(__doc__)

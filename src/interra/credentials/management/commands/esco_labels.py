"""Compare (and with --write, replace) the shipped ESCO labels with ESCO's own.

ESCO publishes its classification per language as CSV (``skills_fr.csv``,
``skills_nl.csv``, ... from https://esco.ec.europa.eu/en/use-esco/download), with the
columns ``conceptUri`` and ``preferredLabel``. This reads one such file and reports every
concept of data/esco_skills.json whose label in that language differs from ESCO's
preferred label; ``--write`` copies ESCO's labels into the file and records the language
as checked (``labels_from_esco``).
"""

import csv
import json

from django.core.management.base import BaseCommand, CommandError

from interra.credentials import skills


def esco_preferred_labels(path) -> dict[str, str]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not {"conceptUri", "preferredLabel"} <= set(reader.fieldnames or ()):
            raise CommandError("Not an ESCO skills CSV: it needs the columns conceptUri "
                               "and preferredLabel.")
        return {row["conceptUri"].strip(): row["preferredLabel"].strip() for row in reader}


def compare(catalogue: dict, language: str, esco: dict[str, str]) -> list[dict]:
    """Concepts whose label in ``language`` is not ESCO's (missing from ESCO: reported)."""
    differences = []
    for skill in catalogue["skills"]:
        ours = skill["labels"].get(language, "")
        theirs = esco.get(skill["uri"])
        if theirs is None or ours != theirs:
            differences.append({"uri": skill["uri"], "ours": ours, "esco": theirs})
    return differences


class Command(BaseCommand):
    help = ("Compare the shipped ESCO skill labels in one language with an ESCO CSV "
            "export (skills_<lang>.csv); --write replaces ours with ESCO's.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="ESCO skills CSV in one language")
        parser.add_argument("--language", required=True, help="e.g. fr, nl")
        parser.add_argument("--write", action="store_true",
                            help="copy ESCO's preferred labels into esco_skills.json")

    def handle(self, *args, path, language, write, **options):
        esco = esco_preferred_labels(path)
        catalogue = json.loads(skills.DATA.read_text(encoding="utf-8"))
        differences = compare(catalogue, language, esco)
        for row in differences:
            self.stdout.write(f"{row['uri']}\n  ours: {row['ours']}\n  ESCO: "
                              f"{row['esco'] if row['esco'] is not None else '(not in file)'}")
        missing = [row["uri"] for row in differences if row["esco"] is None]
        if missing:
            raise CommandError(f"{len(missing)} concept(s) not in this file: is it the "
                               "skills file of the right ESCO version?")
        if write:
            for skill in catalogue["skills"]:
                skill["labels"][language] = esco[skill["uri"]]
            checked = set(catalogue.get("labels_from_esco", [])) | {language}
            catalogue["labels_from_esco"] = sorted(checked)
            catalogue.get("labels_to_check", {}).pop(language, None)
            skills.DATA.write_text(json.dumps(catalogue, ensure_ascii=False, indent=1) + "\n",
                                   encoding="utf-8")
            skills._catalogue.cache_clear()
            self.stdout.write(f"{len(differences)} label(s) replaced by ESCO's ({language}).")
        else:
            self.stdout.write(f"{len(differences)} label(s) differ from ESCO's ({language}).")

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template import TemplateSyntaxError, engines
from django.template.loader import get_template


class Command(BaseCommand):
    help = "Compile every template of the project, so that a syntax error fails CI."

    def handle(self, *args, **options):
        src = Path(settings.SRC_DIR)
        errors, count = [], 0
        for path in sorted(src.rglob("templates/**/*")):
            if not path.is_file() or path.suffix not in {".html", ".txt", ".xml", ".svg", ".ics"}:
                continue
            root = next(p for p in path.parents if p.name == "templates")
            name = str(path.relative_to(root))
            count += 1
            try:
                get_template(name)
            except TemplateSyntaxError as exc:
                errors.append(f"{path.relative_to(src)}: {exc}")
        assert engines.all()
        if errors:
            raise CommandError("Template errors:\n" + "\n".join(errors))
        self.stdout.write(f"{count} templates compile.")

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from interra.cities.models import City
from interra.demo.registry import DemoContext, demo_modules


class Command(BaseCommand):
    help = "Load the Liège demo (deterministic). Does nothing if a city already exists."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="Seed only when the database holds no city yet.")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, if_empty=False, seed=2026, **options):
        if City.objects.exists():
            if if_empty:
                self.stdout.write("Demo data already loaded.")
                return
            raise CommandError("The database is not empty; seed_demo runs on an empty one.")
        ctx = DemoContext(seed=seed)
        with transaction.atomic():
            for module in demo_modules():
                module.seed(ctx)
                self.stdout.write(f"  seeded {module.__name__}")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))

"""Demo data is seeded by each app's ``demo.py``, in the order of its ``ORDER``.

An app adds its demo objects by defining ``ORDER = <int>`` and ``seed(ctx)`` in a
``demo.py`` module; ``ctx`` is a DemoContext holding the random generator and what the
earlier apps created. Everything derives from a fixed seed and from today's date, so two
runs on the same day give the same demo.
"""

import random
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from interra.core.discovery import app_modules


@dataclass
class DemoContext:
    seed: int = 2026
    today: date = field(default_factory=lambda: timezone.localdate())
    rng: random.Random = field(init=False)
    # Filled by the apps as they seed: cities, people by role, workshops, rooms...
    objects: dict = field(default_factory=dict)

    def __post_init__(self):
        self.rng = random.Random(self.seed)

    def __getitem__(self, key):
        return self.objects[key]

    def __setitem__(self, key, value):
        self.objects[key] = value

    def get(self, key, default=None):
        return self.objects.get(key, default)


def demo_modules():
    modules = [module for _config, module in app_modules("demo")]
    return sorted(modules, key=lambda m: getattr(m, "ORDER", 100))

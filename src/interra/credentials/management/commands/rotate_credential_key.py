from django.core.management.base import BaseCommand

from interra.credentials import keys


class Command(BaseCommand):
    help = ("Make a new key to sign credentials from now on. The old public keys stay "
            "published at /credentials/jwks.json, so credentials they signed still verify.")

    def handle(self, *args, **options):
        key = keys.rotate()
        self.stdout.write(f"New signing key: {key.kid}")

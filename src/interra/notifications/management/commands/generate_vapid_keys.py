"""Print a new VAPID key pair for web push (put the private key in VAPID_PRIVATE_KEY)."""

from django.core.management.base import BaseCommand

from interra.notifications.push import _public_key_for, generate_private_key


class Command(BaseCommand):
    help = "Print a new VAPID key pair (P-256) for web push: set VAPID_PRIVATE_KEY to it."

    def handle(self, *args, **options):
        private = generate_private_key()
        self.stdout.write(f"VAPID_PRIVATE_KEY={private}\n")
        public = _public_key_for(private)
        self.stdout.write(f"# public key (browsers subscribe with it): {public}\n")

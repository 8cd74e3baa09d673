from django.core.management.base import BaseCommand

from interra.agenda import services


class Command(BaseCommand):
    help = ("Send due session reminders and feedback links, give released seats to the "
            "waitlist. Idempotent: run it from cron every few minutes.")

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true",
                            help="Queue the work for the tasks worker instead of doing it now.")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            from interra.agenda.tasks import send_due_reminders

            send_due_reminders.enqueue()
            self.stdout.write("Queued.")
            return
        sent = services.send_due_reminders()
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in sent.items()))

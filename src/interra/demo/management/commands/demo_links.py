from django.core.management.base import BaseCommand

from interra.accounts.services import magic_link
from interra.cities.models import Membership, Role


class Command(BaseCommand):
    help = "Print a sign-in link for one demo person of each role."

    def handle(self, *args, **options):
        self.stdout.write("\nDemo sign-in links (valid 7 days):")
        for role in Role:
            membership = (
                Membership.objects.filter(role=role, person__is_active=True)
                .select_related("person", "city").order_by("pk").first()
            )
            if membership is None:
                continue
            person = membership.person
            self.stdout.write(f"  {role.label:<18} {person.display_name:<24} {magic_link(person)}")
        self.stdout.write(
            "\nCoordinators also sign in with a password and a second factor:\n"
            "  /accounts/staff/sign-in/  julie@interra.example / demo-coordinator\n"
            "  second factor: one of the backup codes 11111111, 22222222, 33333333 ...\n"
            "  or add the key JBSWY3DPEHPK3PXP to an authenticator app.\n"
        )

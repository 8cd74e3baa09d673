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
        volunteer = (Membership.objects.filter(role=Role.VOLUNTEER, person__is_active=True)
                     .select_related("person").order_by("pk").first())
        self.stdout.write(
            "\nStaff pages (coordinators, volunteers, admins) need a password AND a second\n"
            "factor, on one page: /accounts/staff/sign-in/ (the magic links above open only\n"
            "a person's own space). Demo staff:\n"
            "  coordinator    julie@interra.example / demo-coordinator\n"
            "  network admin  admin@interra.example / demo-admin\n"
            + (f"  volunteer      {volunteer.person.email} / demo-volunteer\n" if volunteer
               else "")
            + "  code: one of the backup codes 11111111, 22222222, 33333333 ... (each works\n"
            "  once), or add the key JBSWY3DPEHPK3PXP to an authenticator app and type its\n"
            "  6 digits. New staff get a one-time enrolment link from a network admin at\n"
            "  /accounts/staff/invite/.\n"
        )

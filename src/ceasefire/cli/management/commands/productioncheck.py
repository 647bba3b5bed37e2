from ceasefire.record.management.base import Command as Base
from ceasefire.record.management.base import data_dir

from ..production import OK, PROBLEM, WARNING, items

MARK = {OK: "ok", WARNING: "warning", PROBLEM: "PROBLEM"}


class Command(Base):
    help = (
        "Say what is missing or unsafe for a production deployment: Django's deployment checks "
        "plus ours (SECRET_KEY, DEBUG, ALLOWED_HOSTS, DATABASE_URL, SECURE_COOKIES, SSL, HSTS, "
        "and the database guard that keeps the record append-only). "
        "Exit 1 when anything is a problem."
    )
    requires_system_checks = ()  # run by the check itself, with the deployment checks

    def handle(self, *args, **options):
        found = items()
        width = max(len(i.name) for i in found)
        self.say(f"Production check (data folder {data_dir()})")
        self.say("")
        for item in found:
            self.say(f"  {MARK[item.level]:<8} {item.name:<{width}}  {item.text}")
        problems = sum(i.level == PROBLEM for i in found)
        warnings = sum(i.level == WARNING for i in found)
        self.say("")
        counts = f"{problems} problem{'s' * (problems != 1)}, {warnings} warning{'s' * (warnings != 1)}"
        if problems:
            self.say(f"{counts}: not ready for production.")
            raise SystemExit(1)
        self.say(f"{counts}: ready for production.")

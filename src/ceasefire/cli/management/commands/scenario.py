from ceasefire.record.management.base import Command as Base
from ceasefire.record.management.base import database_description, fail, require_migrated


def _describe(value) -> str:
    if isinstance(value, str):
        return value
    for attr in ("title", "description", "summary", "name"):
        text = getattr(value, attr, None) if not isinstance(value, dict) else value.get(attr)
        if isinstance(text, str) and text:
            return text
    doc = getattr(value, "__doc__", None)
    if doc and not isinstance(value, dict | list | tuple):
        return " ".join(doc.strip().split("\n\n")[0].split())
    return ""


class Command(Base):
    help = "List the scenarios, or load one into an empty record (one with no mechanism yet)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        sub.add_parser("list", help="the scenarios that can be loaded")
        load = sub.add_parser("load", help="load a scenario into an empty record")
        load.add_argument("name", metavar="NAME")

    def handle(self, *args, action, name=None, **options):
        from ceasefire import scenarios

        if action == "list":
            for key in sorted(scenarios.SCENARIOS):
                text = _describe(scenarios.SCENARIOS[key])
                self.say(f"{key}  {text}".rstrip())
            return
        if name not in scenarios.SCENARIOS:
            raise fail(f"unknown scenario {name!r} (scenarios: {', '.join(sorted(scenarios.SCENARIOS))})")
        require_migrated()
        self.say(f"Loading scenario {name} ({database_description()})…")
        n = scenarios.load(name)
        self.say(f"Loaded {name}: {n} events appended to the record.")

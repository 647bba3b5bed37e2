import json
from pathlib import Path

from ceasefire.record.management.base import Command as Base
from ceasefire.record.management.base import fail, require_migrated


class Command(Base):
    help = (
        "The committee's layers as GeoJSON (RFC 7946). `import FILE --as USERNAME [--layer CODE]` puts forward the "
        "file as a new version of the layer, in the name of USERNAME (the facilitator or a party's speaker); it binds "
        "once every party approves it. A file that `layer export` wrote names its layer, kind and names itself. "
        "Invalid geometry is refused with the place of the fault (an unclosed ring, a ring that crosses itself, "
        "coordinates out of range, a wrong type, text that is not JSON) and nothing is written. "
        "`export CODE --as USERNAME [--version N] [--out FILE]` writes a version (the one binding now by default, "
        "else the newest the account may read) as a FeatureCollection."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        imp = sub.add_parser("import", help="put forward a GeoJSON file as a new version of a layer")
        imp.add_argument("file", metavar="FILE", help="a GeoJSON file (UTF-8)")
        imp.add_argument("--as", dest="username", required=True, help="the account that puts it forward")
        imp.add_argument("--layer", help="the layer's code (default: the file's own `layer` member)")
        imp.add_argument(
            "--kind",
            help="for a new layer: contact_line, demilitarised_area, protected_road, buffer_zone, "
            "assembly_points, border_area or crossings",
        )
        imp.add_argument("--name-ar", help="for a new layer: its name in Arabic")
        imp.add_argument("--name-en", help="for a new layer: its name in English")
        imp.add_argument("--within-km", help="a line or points: how near a report counts (1 by default)")
        imp.add_argument(
            "--effective-from", metavar="YYYY-MM-DD", help="the day it binds from once every party approves"
        )
        imp.add_argument("--source", help="where the version comes from")
        exp = sub.add_parser("export", help="write a version of a layer as GeoJSON")
        exp.add_argument("code", metavar="CODE", help="the layer's code")
        exp.add_argument("--as", dest="username", required=True, help="the account whose reading it is")
        exp.add_argument(
            "--version", dest="number", type=int, help="the version's number (default: the one binding now)"
        )
        exp.add_argument("--out", help="a new file (default: standard output)")

    def handle(self, *args, action, username, **options):
        from django.contrib.auth import get_user_model

        from ceasefire.mechanism.accounts import actor_for

        require_migrated()
        user = get_user_model().objects.filter(username=username).first()
        actor = actor_for(user) if user else None
        if actor is None:
            raise fail(f"no account on the committee named {username!r} (ceasefire user list shows them)")
        if action == "import":
            self._import(actor, **options)
        else:
            self._export(actor, **options)

    def _import(self, actor, file, layer, kind, name_ar, name_en, within_km, effective_from, source, **options):
        from ceasefire.zones import commands, geojson

        path = Path(file)
        if not path.is_file():
            raise fail(f"{file}: no such file")
        text = path.read_bytes()
        try:
            document = geojson.loads(text)
        except geojson.Invalid:
            document = None  # the command names the fault, with its line and column
        own = document if isinstance(document, dict) else {}
        data = {
            "layer": layer or own.get("layer"),
            "kind": kind or own.get("kind"),
            "name_ar": name_ar or own.get("name_ar"),
            "name_en": name_en or own.get("name_en"),
            "within_km": within_km if within_km is not None else own.get("within_km"),
            "effective_from": effective_from,
            "source": source or "",
            "geojson": text,
        }
        version = commands.propose_version(actor, data)
        waits = commands.waiting_for(version)
        state = "binding" if version.binding else ("waiting for: " + "; ".join(waits) if waits else "not binding")
        self.say(f"{version.layer_id}: version {version.number} put forward ({state})")

    def _export(self, actor, code, number, out, **options):
        from ceasefire.zones import queries

        layer = queries.layer(actor, code)
        if number is None:
            version = layer.current or layer.shown[0]
        else:
            version = queries.version(actor, code, number)
        text = json.dumps(queries.as_geojson(version), ensure_ascii=False, indent=1) + "\n"
        if out is None:
            self.say(text.rstrip("\n"))
            return
        target = Path(out)
        if target.exists():
            raise fail(f"{out} exists already: give a new file")
        target.write_text(text, encoding="utf-8")
        self.note(f"{code}: version {version.number} written to {out}")

"""Reading a gettext .po file: enough to check a catalogue, nothing more."""

import ast
import re
from dataclasses import dataclass, field

_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$')


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict = field(default_factory=dict)  # "" for a singular, or the plural index
    flags: set = field(default_factory=set)
    line: int = 0

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags


def read(path) -> list[Entry]:
    """The entries of a .po file, header included, obsolete (#~) ones left out."""
    entries, current, key = [], None, None
    for number, line in enumerate(open(path, encoding="utf-8").read().split("\n"), start=1):
        if not line.strip() or (line.startswith("#") and current is not None and current.msgid is not None and key):
            if current is not None and key:
                entries.append(current)
                current, key = None, None
        if not line.strip():
            continue
        if line.startswith("#,"):
            current = current or Entry(line=number)
            current.flags |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            current = current or Entry(line=number)
            continue
        current = current or Entry(line=number)
        match = _LINE.match(line)
        if match:
            key = match.group(1)
            value = ast.literal_eval(match.group(2))
        elif line.startswith('"'):
            value = ast.literal_eval(line)
        else:
            raise ValueError(f"{path}:{number}: cannot read {line!r}")
        if key == "msgid":
            current.msgid += value
        elif key == "msgctxt":
            current.msgctxt = (current.msgctxt or "") + value
        elif key == "msgid_plural":
            current.msgid_plural = (current.msgid_plural or "") + value
        else:
            index = "" if key == "msgstr" else int(key[7:-1])
            current.msgstr[index] = current.msgstr.get(index, "") + value
    if current is not None and key:
        entries.append(current)
    return entries

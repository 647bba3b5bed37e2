import json
import re

from django.db import models

# The columns of an event that copy a field of its body, by the name of that field.
COPIED = ("type", "time", "actor", "party")


class Event(models.Model):
    """One entry of the joint record.

    `body` holds the canonical RFC 8785 bytes and is the entry itself: the Merkle tree hashes it,
    replay reads it, the witnesses cosign it. The other columns (COPIED) are copies of fields
    inside it, kept only so that the database can select by them; nothing the record signs
    vouches for them. So an Event loaded from the database takes `type`, `time`, `actor` and
    `party` from its body, never from those columns (`from_db`), and what the columns said is kept
    in `columns`; `replay --check` names any column that differs from its body.
    """

    seq = models.BigIntegerField(primary_key=True)
    type = models.CharField(max_length=64, db_index=True)
    time = models.DateTimeField(db_index=True)
    actor = models.CharField(max_length=150)
    party = models.CharField(max_length=32, blank=True, default="")
    body = models.BinaryField()
    columns: dict  # what the COPIED columns held, set by from_db

    class Meta:
        ordering = ["seq"]

    def __str__(self):
        return f"#{self.seq} {self.type}"

    @classmethod
    def from_db(cls, db, field_names, values):
        event = super().from_db(db, field_names, values)
        if "body" in event.__dict__:  # not deferred
            event.columns = {name: event.__dict__.pop(name) for name in COPIED if name in event.__dict__}
            event.__dict__.update(signed_fields(event.body))
        return event

    @property
    def account(self) -> str:
        """The username of the account that appended this entry: what a projector records as
        "by whom". Read it here, never from `actor`, which names only the role (see
        `log.account_of`)."""
        if "_account" not in self.__dict__:
            from .log import account_of  # log imports the models

            self._account = account_of(self.data)
        return self._account

    @property
    def data(self) -> dict:
        return json.loads(bytes(self.body))

    @property
    def payload(self) -> dict:
        return self.data["payload"]


def signed_fields(body) -> dict:
    """type, time, actor and party as the entry's body holds them. A body that is not an entry
    (changed in the database) gives an unknown type, which only the parties may read."""
    from .log import parse_time  # log imports the models

    try:
        data = json.loads(bytes(body))
        return {
            "type": str(data["type"]),
            "time": parse_time(data["time"]),
            "actor": str(data["actor"] or ""),
            "party": data["party"] or "",
        }
    except (ValueError, TypeError, KeyError, RecursionError):
        return {"type": "", "time": None, "actor": "", "party": ""}


# RFC 8785 sorts an object's keys, and the top-level "v" sorts after "type" and every other key of
# an entry: a canonical entry ENDS with `,"type":"T","v":N}`. Read from that ending, the type costs
# a search from the end instead of a JSON parse (the entries endpoint serves 10,000 a request).
_TYPE_AT_THE_END = re.compile(rb',"type":"([a-z0-9_.]{1,64})","v":[0-9]{1,9}}')


def signed_type(body) -> str:
    """The entry's type as its body holds it: what decides who may read it.

    Read from the canonical ending when the body has it, else by signed_fields. Both answer the
    same for every JSON object with that ending: its last member is "v", the member just before it
    is "type" (no quote nor backslash in between, so neither is inside a string) at the top level,
    and the last "type" key is the one json.loads keeps. They differ only on a body that is not
    JSON, or has a malformed time, actor or party, which no append writes: such a body, changed in
    the database, is read as the type its ending names (one that parses could name any type).
    """
    body = bytes(body)
    at = body.rfind(b',"type":"')
    if at >= 0:
        ending = _TYPE_AT_THE_END.fullmatch(body, at)
        if ending:
            return ending[1].decode("ascii")
    return signed_fields(body)["type"]


class Head(models.Model):
    """The single row that every append locks: it serialises writers across processes."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField(default=0)

    def __str__(self):
        return f"record head at {self.size}"


class Projection(models.Model):
    """Base of every table that replay rebuilds from the record alone.

    A projection row that others point at takes its key from the record (usually the `seq` of the
    event that created it), never from a database sequence: replay must give it the same key.
    """

    class Meta:
        abstract = True


class Enrollment(Projection):
    """An account's opening of the commitments that name it (`log.account_of`): the secret of its
    `account.enrolled` entry, which only the parties read. One per username, role and party: an
    account whose role or party changes is enrolled again. Two of one username, role and party exist
    only if one was deleted from this table and the account enrolled again: both open their own
    entries, and replay keeps both."""

    seq = models.BigIntegerField(primary_key=True)  # the account.enrolled entry
    username = models.CharField(max_length=150)
    role = models.CharField(max_length=32)
    party = models.CharField(max_length=32, blank=True)
    secret = models.BinaryField(max_length=32)

    class Meta:
        indexes = [models.Index(fields=["role", "party"]), models.Index(fields=["username"])]

    def __str__(self):
        return f"{self.username} ({self.role}{', ' + self.party if self.party else ''})"


class TreeNode(models.Model):
    """One complete subtree of the record's Merkle tree (RFC 9162 §2.1), kept so that a root or a
    proof reads O(log n) rows instead of hashing every entry.

    Node (level, index) is MTH of the entries [index·2^level, (index+1)·2^level): level 0 holds the
    leaf hashes, SHA-256(0x00 ‖ Event.body). A node is written once, in the transaction that
    appends the event completing it, and never changed. Not a projection: it is derived from the
    bodies alone, and `tree.check()` recomputes it from them.
    """

    pk = models.CompositePrimaryKey("level", "index")
    level = models.PositiveSmallIntegerField()
    index = models.PositiveBigIntegerField()
    hash = models.BinaryField(max_length=32)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(level__lte=63), name="record_treenode_level_range"),
        ]

    def __str__(self):
        return f"tree node ({self.level}, {self.index})"


class Checkpoint(models.Model):
    """A signed statement of the tree's size and root (C2SP tlog-checkpoint), one per size.

    `note` is the note as the log key signed it; the witnesses' cosignatures are kept apart and added
    when it is served. Not a projection: signing is the server's act, not an event, and a checkpoint,
    once given out, must never be taken back (the guard triggers refuse UPDATE and DELETE).
    """

    size = models.BigIntegerField(primary_key=True)
    root = models.BinaryField(max_length=32)
    note = models.TextField()
    signed_at = models.DateTimeField()

    class Meta:
        ordering = ["-size"]

    def __str__(self):
        return f"checkpoint at {self.size}"


class Cosignature(models.Model):
    """A witness's cosignature/v1 of a checkpoint: "as of `timestamp`, this is the largest tree
    consistent with all I have seen". Kept only after it verified against a registered witness key."""

    id = models.BigAutoField(primary_key=True)
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="cosignatures")
    name = models.CharField(max_length=255)
    key_id = models.CharField(max_length=8)  # lowercase hex, as in the verifier key
    line = models.TextField()  # the signature line, "— name base64\n"
    timestamp = models.BigIntegerField()  # POSIX seconds the witness claims
    received_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "name", "key_id"], name="record_cosignature_once"),
        ]

    def __str__(self):
        return f"{self.name} on checkpoint {self.checkpoint_id}"

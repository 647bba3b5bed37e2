import json

from django.db import models


class Event(models.Model):
    """One entry of the joint record.

    `body` holds the canonical RFC 8785 bytes and is the entry itself: the Merkle tree hashes it,
    replay reads it. The other columns are copies of fields inside it, kept for querying.
    """

    seq = models.BigIntegerField(primary_key=True)
    type = models.CharField(max_length=64, db_index=True)
    time = models.DateTimeField(db_index=True)
    actor = models.CharField(max_length=150)
    party = models.CharField(max_length=32, blank=True, default="")
    body = models.BinaryField()

    class Meta:
        ordering = ["seq"]

    def __str__(self):
        return f"#{self.seq} {self.type}"

    @property
    def data(self) -> dict:
        return json.loads(bytes(self.body))

    @property
    def payload(self) -> dict:
        return self.data["payload"]


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

"""Writing and verifying the journal: a chain of keyed hashes (HMAC-SHA-256), a keyed head,
and signed checkpoints that prove later that the journal still holds what it held.

The key (settings.JOURNAL_KEY) is not in the database: whoever edits the database behind the
application's back can neither forge an entry, nor point the head back after cutting the tail,
nor reset it after emptying the journal. What the key cannot prevent, a copy of an older head
put back with the entries after it deleted, a checkpoint kept outside (by each member's
référent) reveals.
"""

import datetime
import hashlib
import hmac
import json
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import translation

from core import clock
from journal.models import Entry, Head

GENESIS = "0" * 64
CHECKPOINT_PREFIX = "journal-checkpoint-v1"


def _digest(fields: dict) -> str:
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(settings.JOURNAL_KEY.encode(), payload.encode(), hashlib.sha256).hexdigest()


def _fields(entry: Entry) -> dict:
    """Every column of the entry but its own hash (and the database's row id)."""
    return {
        "seq": entry.seq,
        "created_at": entry.created_at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "organisation_name": entry.organisation_name,
        "content_type_id": entry.content_type_id,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "action": entry.action,
        "from_state": entry.from_state,
        "to_state": entry.to_state,
        "reason": entry.reason,
        "prev_hash": entry.prev_hash,
    }


def head_mac(last_seq: int, last_hash: str) -> str:
    """The head's own keyed hash; a distinct label keeps it apart from entries' hashes."""
    return _digest({"journal_head": last_seq, "last_hash": last_hash})


def in_french(label) -> str:
    """A (lazily translated) label as the journal keeps it: in French, whatever the screen
    language of the person acting."""
    with translation.override("fr"):
        return str(label)


def _head_for_update() -> Head:
    head = Head.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    # Only a journal that never held an entry may start a head (a new database, or the test
    # suite's emptied one); a missing head in front of entries is damage, not a start.
    if Entry.objects.exists():
        raise RuntimeError("The journal's head is missing: run verify_journal.")
    return Head.objects.create(pk=1, mac=head_mac(0, GENESIS))


def journal_record(
    *, actor, obj, action: str, from_state: str = "", to_state: str = "", reason: str = ""
) -> Entry:
    """Append one entry. Call inside the transaction of the change it records."""
    with transaction.atomic():
        head = _head_for_update()
        entry = Entry(
            seq=head.last_seq + 1,
            created_at=clock.now().replace(microsecond=0),
            actor=actor if actor is not None and actor.is_authenticated else None,
            actor_name=str(actor) if actor is not None else "système",
            organisation_name=str(getattr(actor, "organisation", "") or ""),
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            object_repr=str(obj)[:255],
            action=action,
            from_state=from_state or "",
            to_state=to_state or "",
            reason=reason or "",
            prev_hash=head.last_hash,
        )
        entry.hash = _digest(_fields(entry))
        entry.save()
        Head.objects.filter(pk=1).update(
            last_seq=entry.seq, last_hash=entry.hash, mac=head_mac(entry.seq, entry.hash)
        )
        return entry


def journal_verify() -> str | None:
    """None when the chain and its head are intact, else a sentence naming the first fault."""
    expected_prev = GENESIS
    expected_seq = 1
    for entry in Entry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            return f"entrée n° {expected_seq} : manquante (supprimée ?)"
        if entry.prev_hash != expected_prev:
            return f"entrée n° {entry.seq} : ne suit pas l'entrée précédente"
        if not hmac.compare_digest(entry.hash, _digest(_fields(entry))):
            return f"entrée n° {entry.seq} : contenu modifié"
        expected_prev = entry.hash
        expected_seq += 1
    head = Head.objects.filter(pk=1).first()
    if head is None:
        return "tête du journal manquante (supprimée ?)"
    if not hmac.compare_digest(head.mac, head_mac(head.last_seq, head.last_hash)):
        return "tête du journal modifiée (fin du journal coupée ?)"
    if head.last_seq != expected_seq - 1 or head.last_hash != expected_prev:
        return f"entrée n° {head.last_seq} : manquante en fin de journal (supprimée ?)"
    return None


# --- Checkpoints -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: datetime.datetime

    def _signature(self) -> str:
        return _digest({"checkpoint": self.seq, "hash": self.hash, "at": self.at.isoformat()})

    def __str__(self) -> str:
        return (
            f"{CHECKPOINT_PREFIX} seq={self.seq} hash={self.hash} "
            f"at={self.at.isoformat()} sig={self._signature()}"
        )


class CheckpointError(ValueError):
    """A checkpoint that cannot be read or whose signature is wrong."""


def journal_checkpoint() -> Checkpoint:
    """The journal's end now, signed: kept outside, it proves later that nothing was cut."""
    head = Head.objects.filter(pk=1).first()
    if head is None or head.last_seq == 0:
        raise CheckpointError("Le journal est vide : rien à attester.")
    return Checkpoint(head.last_seq, head.last_hash, clock.now().replace(microsecond=0))


def checkpoint_parse(text: str) -> Checkpoint:
    words = text.split()
    if len(words) != 5 or words[0] != CHECKPOINT_PREFIX:
        raise CheckpointError("Ce texte n'est pas un point de contrôle du journal.")
    try:
        values = dict(word.split("=", 1) for word in words[1:])
        checkpoint = Checkpoint(
            int(values["seq"]), values["hash"], datetime.datetime.fromisoformat(values["at"])
        )
        signature = values["sig"]
    except (KeyError, ValueError):
        raise CheckpointError("Ce point de contrôle est illisible.") from None
    if not hmac.compare_digest(signature, checkpoint._signature()):
        raise CheckpointError("La signature de ce point de contrôle est fausse.")
    return checkpoint


def checkpoint_verify(checkpoint: Checkpoint) -> str | None:
    """None when the journal still holds the checkpoint's entry as it was, else why not."""
    entry = Entry.objects.filter(seq=checkpoint.seq).first()
    if entry is None:
        return (
            f"entrée n° {checkpoint.seq} du point de contrôle du "
            f"{checkpoint.at:%d/%m/%Y} : absente (journal coupé ?)"
        )
    if not hmac.compare_digest(entry.hash, checkpoint.hash):
        return f"entrée n° {checkpoint.seq} : différente de celle du point de contrôle"
    return None

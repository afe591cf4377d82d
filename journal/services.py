import hashlib
import hmac
import json

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import translation

from core import clock
from journal.models import Entry, Head

GENESIS = "0" * 64


def _digest(fields: dict) -> str:
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(settings.JOURNAL_KEY.encode(), payload.encode(), hashlib.sha256).hexdigest()


def _fields(entry: Entry) -> dict:
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


def in_french(label) -> str:
    """A (lazily translated) label as the journal keeps it: in French, whatever the screen
    language of the person acting."""
    with translation.override("fr"):
        return str(label)


def journal_record(
    *, actor, obj, action: str, from_state: str = "", to_state: str = "", reason: str = ""
) -> Entry:
    """Append one entry. Call inside the transaction of the change it records."""
    with transaction.atomic():
        # The migration creates the head row; get_or_create only matters after a test flush.
        head, _ = Head.objects.select_for_update().get_or_create(pk=1)
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
        Head.objects.filter(pk=1).update(last_seq=entry.seq, last_hash=entry.hash)
        return entry


def journal_verify() -> str | None:
    """None when the chain is intact, else a sentence naming the first bad entry."""
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
    head = Head.objects.filter(pk=1).first() or Head()
    if head.last_seq != expected_seq - 1 or head.last_hash != expected_prev:
        return f"entrée n° {head.last_seq} : manquante en fin de journal (supprimée ?)"
    return None

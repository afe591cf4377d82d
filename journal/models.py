"""An append-only journal of every change of state, chained by a keyed hash.

Each entry's hash covers its own content and the previous entry's hash, with a key the database
does not hold. Editing or deleting a row, in the middle or at the end, breaks the chain and
`verify_journal` names the first bad entry.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class EntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The journal is append-only.")

    def delete(self):
        raise AppendOnlyError("The journal is append-only.")


class Entry(models.Model):
    seq = models.PositiveBigIntegerField(_("number"), unique=True)
    created_at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("actor"), max_length=150)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=255)
    action = models.CharField(_("action"), max_length=80)
    from_state = models.CharField(_("from"), max_length=40, blank=True)
    to_state = models.CharField(_("to"), max_length=40, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("A journal entry cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("A journal entry cannot be deleted.")


class Head(models.Model):
    """The single row that remembers the chain's end, so a deleted last entry is noticed.

    It carries its own keyed hash: pointing it back to an earlier entry after cutting the tail,
    or resetting it after emptying the journal, needs the key.
    """

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    mac = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("journal head")

    def __str__(self):
        return f"#{self.last_seq}"

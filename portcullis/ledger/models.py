"""The ledger: an append-only, HMAC-chained record of every state change.

Each entry's hash covers its own fields and the previous entry's hash, so editing, deleting or
reordering any row breaks the chain from that row on. `LedgerHead` holds the newest sequence
number and hash, so deleting the newest rows is caught too. An entry is inserted unsealed (no
`seq` or hash) with the change it records and sealed into the chain when that change commits
(`services.seal`).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, NoReturn

from django.conf import settings
from django.db import models

from portcullis.accounts.need_to_know import Visibility, readable_ledger_q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portcullis.accounts.models import User


class AppendOnlyError(Exception):
    pass


class LedgerEntryQuerySet(models.QuerySet["LedgerEntry"]):
    def visible_to(self, user: User | AnonymousUser) -> LedgerEntryQuerySet:
        """Every entry for the security team; platform events for administrators (not the
        intelligence their platform holds); one's own actions for anyone else."""
        return self.filter(readable_ledger_q(user))

    def about(self, target: models.Model) -> LedgerEntryQuerySet:
        return self.filter(target_type=target._meta.label_lower, target_id=str(target.pk))


class LedgerEntry(models.Model):
    seq = models.PositiveBigIntegerField(unique=True, null=True, blank=True)  # None: unsealed
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField(max_length=254)
    action = models.CharField(max_length=80, db_index=True)
    visibility = models.CharField(
        max_length=16, choices=Visibility, default=Visibility.SECURITY, db_index=True
    )
    target_type = models.CharField(max_length=100, blank=True, db_index=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        # Newest first: entries still waiting to be sealed, then the chain from its head down.
        ordering = [models.F("seq").desc(nulls_first=True), "-id"]
        verbose_name_plural = "ledger entries"
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"#{self.seq or 'unsealed'} {self.action} by {self.actor_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("ledger entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("ledger entries are never deleted")


class LedgerHead(models.Model):
    """One row: the newest entry's sequence number and hash. Locked while appending."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"head at #{self.seq}"


class LedgerCheck(models.Model):
    """The outcome of one verification of the whole chain (by the scheduler or the command)."""

    at = models.DateTimeField(auto_now_add=True)
    entries_checked = models.PositiveBigIntegerField()
    broken_at = models.PositiveBigIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]
        get_latest_by = "at"

    def __str__(self) -> str:
        return f"check at {self.at:%Y-%m-%d %H:%M}: {'broken' if self.broken_at else 'intact'}"

    @property
    def intact(self) -> bool:
        return self.broken_at is None

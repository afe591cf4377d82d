"""What waits for people in the evaluation, for « Mes actions »: the evaluator's declaration
and sheets, the coordinator's panel and consolidation. A fixed number of queries whatever the
number of lots, seats and sheets."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.actions import Action
from core.permissions import objects_for_user
from groupement.models import VIEW_GROUPEMENT, Groupement
from procurement.access import can_manage
from procurement.choices import ANALYSIS_STATES
from procurement.models import Lot
from scoring.choices import SheetState
from scoring.models import Consolidated, PanelMember
from scoring.ranking import scorable_bids_of


def _subject(lot) -> str:
    """The consultation, and the lot when it has several (`lot_count`, annotated)."""
    if lot.lot_count > 1:
        return _("%(consultation)s, lot %(number)s") % {
            "consultation": lot.consultation,
            "number": lot.number,
        }
    return str(lot.consultation)


class _Counts:
    """Per lot: its scorable offers, its scored criteria and its consolidated scores, read in
    three queries for all the lots."""

    def __init__(self, lots):
        self.scorable = dict(
            scorable_bids_of(lots)
            .values_list("lot")
            .annotate(n=Count("pk"))
            .values_list("lot", "n")
        )
        self.consolidated = dict(
            Consolidated.objects.filter(bid__lot__in=lots)
            .values_list("bid__lot")
            .annotate(n=Count("pk"))
            .values_list("bid__lot", "n")
        )
        leaves = Q(grid__criteria__children__isnull=True, grid__criteria__is_price=False)
        self.scored = dict(
            Lot.objects.filter(pk__in=[lot.pk for lot in lots])
            .annotate(n=Count("grid__criteria", filter=leaves, distinct=True))
            .values_list("pk", "n")
        )

    def complete(self, lot_pk) -> bool:
        """Every scorable offer has a consolidated score on every scored criterion."""
        expected = self.scorable.get(lot_pk, 0) * self.scored.get(lot_pk, 0)
        return bool(expected) and self.consolidated.get(lot_pk, 0) >= expected


def consolidated_lots(lots) -> frozenset:
    """The lots of `lots` whose scores are all consolidated: their ranking is final."""
    if not lots:
        return frozenset()
    counts = _Counts(lots)
    return frozenset(lot.pk for lot in lots if counts.complete(lot.pk))


def pending_actions(user) -> list[Action]:
    visible = objects_for_user(user, VIEW_GROUPEMENT, Groupement)
    lots = list(
        Lot.objects.filter(
            consultation__groupement__in=visible, consultation__state__in=ANALYSIS_STATES
        )
        .select_related("consultation__groupement__coordinator", "grid")
        .annotate(lot_count=Count("consultation__lots", distinct=True))
        .order_by("consultation__offers_deadline", "number")
    )
    if not lots:
        return []
    counts = _Counts(lots)
    seats = list(
        PanelMember.objects.filter(lot__in=lots).annotate(
            submitted=Count("sheets", filter=Q(sheets__state=SheetState.SUBMITTED))
        )
    )
    actions = []
    for lot in lots:
        bids = counts.scorable.get(lot.pk, 0)
        panel = [seat for seat in seats if seat.lot_id == lot.pk]
        subject = _subject(lot)
        for seat in panel:
            if seat.evaluator_id != user.pk:
                continue
            if seat.declared_at is None:
                url = reverse("scoring:declaration", args=[lot.pk])
                label = _("Sign the declaration of no conflict of interest")
                actions.append(Action("declaration", label, url, subject, pending=True))
            elif seat.submitted < bids:
                left = bids - seat.submitted
                label = ngettext(
                    "Score the offers (%(left)d sheet to submit)",
                    "Score the offers (%(left)d sheets to submit)",
                    left,
                ) % {"left": left}
                url = reverse("scoring:workspace")
                actions.append(Action("sheets", label, url, subject, pending=True))
        if not bids or not can_manage(user, lot.consultation):
            continue
        if not panel:
            url = reverse("scoring:panel", args=[lot.pk])
            label = _("Name the evaluation panel")
            actions.append(Action("panel", label, url, subject, pending=True))
        elif all(seat.submitted >= bids for seat in panel) and not counts.complete(lot.pk):
            url = reverse("scoring:consolidation", args=[lot.pk])
            label = _("Consolidate the scores")
            actions.append(Action("consolidation", label, url, subject, pending=True))
    return actions

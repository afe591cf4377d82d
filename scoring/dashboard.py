"""What waits for people in the evaluation, for « Mes actions »: the evaluator's declaration
and sheets, the coordinator's panel and consolidation. A fixed number of queries whatever the
number of lots, seats and sheets; the lots' state is read from their evaluation
(scoring.ranking.evaluate_lots), so that the dashboard and the pages count alike."""

from collections import defaultdict

from django.db.models import Count
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
from scoring.models import PanelMember, ScoreSheet
from scoring.ranking import evaluate_lots, scorable_bids_of


def _subject(lot) -> str:
    """The consultation, and the lot when it has several (`lot_count`, annotated)."""
    if lot.lot_count > 1:
        return _("%(consultation)s, lot %(number)s") % {
            "consultation": lot.consultation,
            "number": lot.number,
        }
    return str(lot.consultation)


def _evaluator_steps(seat, bids, submitted, subject) -> list[Action]:
    if seat.declared_at is None:
        url = reverse("scoring:declaration", args=[seat.lot_id])
        label = _("Sign the declaration of no conflict of interest")
        return [Action("declaration", label, url, subject, pending=True)]
    if submitted < bids:
        left = bids - submitted
        label = ngettext(
            "Score the offers (%(left)d sheet to submit)",
            "Score the offers (%(left)d sheets to submit)",
            left,
        ) % {"left": left}
        return [Action("sheets", label, reverse("scoring:workspace"), subject, pending=True)]
    return []


def _coordinator_steps(lot, evaluation, panel, subject) -> list[Action]:
    if not panel:
        url = reverse("scoring:panel", args=[lot.pk])
        return [Action("panel", _("Name the evaluation panel"), url, subject, pending=True)]
    expected = evaluation.expected_sheets
    if expected and evaluation.submitted_sheets >= expected and not evaluation.complete:
        url = reverse("scoring:consolidation", args=[lot.pk])
        return [Action("consolidation", _("Consolidate the scores"), url, subject, pending=True)]
    return []


def pending_actions(user) -> list[Action]:
    visible = objects_for_user(user, VIEW_GROUPEMENT, Groupement)
    # A lot closed without award (unsuccessful, sans suite) waits for nobody.
    lots = list(
        Lot.objects.filter(
            consultation__groupement__in=visible,
            consultation__state__in=ANALYSIS_STATES,
            outcome="",
        )
        .select_related("consultation__groupement__coordinator")
        .annotate(lot_count=Count("consultation__lots", distinct=True))
        .order_by("consultation__offers_deadline", "number")
    )
    if not lots:
        return []
    evaluations = evaluate_lots(lots)
    panels = defaultdict(list)
    for seat in PanelMember.objects.filter(lot__in=lots):
        panels[seat.lot_id].append(seat)
    # Only the sheets of the offers still ranked count: an offer excluded after it was scored
    # keeps its sheets in the record (as in scoring.ranking).
    submitted = dict(
        ScoreSheet.objects.filter(
            panel_member__evaluator=user,
            panel_member__lot__in=lots,
            bid__in=scorable_bids_of(lots),
            state=SheetState.SUBMITTED,
        )
        .order_by()
        .values("panel_member")
        .annotate(n=Count("pk"))
        .values_list("panel_member", "n")
    )
    actions = []
    for lot in lots:
        evaluation = evaluations.get(lot.pk)
        if evaluation is None or not evaluation.rows:  # no grid yet, or no offer to score
            continue
        subject = _subject(lot)
        bids = len(evaluation.rows)
        for seat in panels[lot.pk]:
            if seat.evaluator_id == user.pk:
                actions += _evaluator_steps(seat, bids, submitted.get(seat.pk, 0), subject)
        if can_manage(user, lot.consultation):
            actions += _coordinator_steps(lot, evaluation, panels[lot.pk], subject)
    return actions

"""Every business action of the evaluation: permission, change and journal, atomically."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction

from core import clock
from core.workflow import BusinessRuleError, locked, refuse_if, run_transition
from journal.services import journal_record
from procurement import hooks as procurement_hooks
from procurement.access import can_manage
from procurement.models import Bid
from scoring import rules
from scoring.access import may_sit_on_panel, seat
from scoring.models import (
    Consolidated,
    Criterion,
    Grid,
    PanelMember,
    Score,
    ScoreSheet,
)
from scoring.ranking import evaluate, means_of

__all__ = ["BusinessRuleError"]


def _create_criteria(grid, specs, parent=None, counter=None):
    counter = counter if counter is not None else [0]
    for spec in specs:
        counter[0] += 1
        criterion = Criterion.objects.create(
            grid=grid,
            parent=parent,
            position=counter[0],
            name=spec.name.strip(),
            weight=spec.weight,
            is_price=spec.is_price,
            scale_max=spec.scale_max,
            levels=spec.levels.strip(),
        )
        _create_criteria(grid, spec.children, criterion, counter)


def grid_define(*, lot, user, price_formula: str, criteria: list) -> Grid:
    """Sets the whole grid of a lot while its consultation is a draft; never once frozen."""
    consultation = lot.consultation
    if not can_manage(user, consultation):
        raise PermissionDenied
    refuse_if(rules.grid_errors(criteria))
    with transaction.atomic():
        grid, _created = Grid.objects.select_for_update().get_or_create(lot=lot)
        refuse_if(rules.grid_edit_errors(grid, consultation))
        grid.price_formula = price_formula
        grid.save(update_fields=["price_formula"])
        grid.criteria.all().delete()
        _create_criteria(grid, criteria)
        journal_record(
            actor=user,
            obj=grid,
            action="grille d'évaluation définie",
            reason=", ".join(f"{c.name} {rules.points(c.weight)}" for c in criteria),
        )
    return grid


def grids_freeze(consultation) -> None:
    """Publication hook: every grid of the consultation is frozen and its hash recorded."""
    now = clock.now()
    for grid in Grid.objects.select_for_update().filter(lot__consultation=consultation):
        grid.frozen_at = now
        grid.content_hash = rules.grid_hash(grid)
        grid.save(update_fields=["frozen_at", "content_hash"])
        journal_record(
            actor=None,
            obj=grid,
            action="grille figée à la publication",
            reason=f"empreinte SHA-256 {grid.content_hash}",
        )


def panel_name(*, lot, user, evaluator) -> PanelMember:
    if not can_manage(user, lot.consultation):
        raise PermissionDenied
    refuse_if(
        rules.nomination_errors(evaluator, eligible=may_sit_on_panel(evaluator, lot.consultation))
    )
    with transaction.atomic():
        member, created = PanelMember.objects.get_or_create(
            lot=lot,
            evaluator=evaluator,
            defaults={"named_by": user, "named_at": clock.now()},
        )
        refuse_if(rules.seat_errors(evaluator, already_seated=not created))
        journal_record(
            actor=user,
            obj=member,
            action="évaluateur désigné",
            reason=f"{evaluator} ({evaluator.organisation})",
        )
    return member


def declaration_sign(*, panel_member, user) -> PanelMember:
    """The evaluator declares no conflict of interest with the bidders, named one by one."""
    if panel_member.evaluator_id != user.pk:
        raise PermissionDenied
    with transaction.atomic():
        member = locked(PanelMember.objects.select_related("lot__consultation"), panel_member.pk)
        refuse_if(rules.declaration_errors(member))
        bidders = [
            f"{b.bidder} ({b.bidder.identifier})"
            for b in member.lot.bids.filter(late=False).select_related("bidder")
        ]
        member.declared_at = clock.now()
        member.declared_bidders = "\n".join(bidders)
        member.save(update_fields=["declared_at", "declared_bidders"])
        journal_record(
            actor=user,
            obj=member,
            action="déclaration d'absence de conflit d'intérêts",
            reason="; ".join(bidders),
        )
    return member


def sheet_save(*, bid, user, scores: dict) -> ScoreSheet:
    """Saves a draft: scores: {criterion: (value, justification)}; checked against the scale."""
    bid = Bid.objects.select_related("lot__consultation", "lot__grid", "bidder").get(pk=bid.pk)
    member = seat(user, bid.lot)
    if member is None:
        raise PermissionDenied
    refuse_if(rules.scoring_errors(member, bid))
    refuse_if(rules.sheet_scores_errors(bid.lot.grid, scores))
    with transaction.atomic():
        sheet, _created = ScoreSheet.objects.select_for_update().get_or_create(
            panel_member=member, bid=bid
        )
        refuse_if(rules.sheet_edit_errors(sheet))
        for criterion, (value, justification) in scores.items():
            if value is None:
                Score.objects.filter(sheet=sheet, criterion=criterion).delete()
                continue
            Score.objects.update_or_create(
                sheet=sheet,
                criterion=criterion,
                defaults={"value": value, "justification": (justification or "").strip()},
            )
        journal_record(
            actor=user,
            obj=sheet,
            action="notes enregistrées (brouillon)",
            reason="; ".join(
                f"{c.name} {rules.points(v)}" for c, (v, _j) in scores.items() if v is not None
            ),
        )
    return sheet


def sheet_submit(*, sheet, user) -> ScoreSheet:
    with transaction.atomic():
        sheet = locked(
            ScoreSheet.objects.select_related(
                "panel_member", "bid__lot__grid", "bid__lot__consultation"
            ),
            sheet.pk,
        )
        return run_transition(
            sheet,
            "submit",
            user,
            action="fiche de notation remise",
            at=clock.now(),
            blockers=lambda: rules.sheet_errors(sheet),
        )


def sheet_reopen(*, sheet, user, reason: str) -> ScoreSheet:
    """The coordinator reopens a submitted sheet, during the analysis. The bid's consolidated
    scores rested on it: they are to be redone, and so is what the ranking fed."""
    refuse_if(rules.reopen_reason_errors(reason))
    with transaction.atomic():
        sheet = locked(
            ScoreSheet.objects.select_related(
                "panel_member", "bid__lot__consultation__groupement", "bid__bidder"
            ),
            sheet.pk,
        )
        refuse_if(rules.evaluation_window_errors(sheet.bid.lot.consultation))
        run_transition(
            sheet,
            "reopen",
            user,
            action="fiche de notation rouverte",
            reason=reason.strip(),
            explanation=reason.strip(),
        )
        undone = Consolidated.objects.filter(bid=sheet.bid).select_related("criterion")
        if undone:
            journal_record(
                actor=user,
                obj=sheet.bid,
                action="notes consolidées à refaire",
                reason="; ".join(f"{c.criterion.name} : {rules.points(c.value)}" for c in undone)
                + f" — fiche rouverte : {reason.strip()}",
            )
            undone.delete()
            _ranking_changed(sheet.bid, user, "fiche de notation rouverte")
    return sheet


def _ranking_changed(bid, user, what):
    for hook in procurement_hooks.evaluation_changed:
        hook(bid.lot, user, what)


def consolidate(*, bid, criterion, user, value: Decimal, justification: str = ""):
    """The coordinator sets a (bid, criterion) score once every sheet of the lot is submitted.

    The mean of the submitted sheets is the proposal; departing from it needs a justification.
    """
    bid = Bid.objects.select_related("lot__consultation", "lot__grid", "bidder").get(pk=bid.pk)
    if not can_manage(user, bid.lot.consultation):
        raise PermissionDenied
    with transaction.atomic():
        # One consolidation of a bid at a time: its row is the lock.
        bid = locked(Bid.objects.select_related("lot__consultation", "lot__grid", "bidder"), bid.pk)
        evaluation = evaluate(bid.lot)
        # The rules read the means of this bid only: not the lot's tens of thousands of scores.
        evaluation.means = means_of(bid.lot, bid)
        earlier = evaluation.consolidated.get((bid.pk, criterion.pk))
        previous = earlier.value if earlier else None
        refuse_if(
            rules.consolidation_errors(
                bid, criterion, value, justification, evaluation=evaluation, previous=previous
            )
        )
        mean = evaluation.means[(bid.pk, criterion.pk)][0]
        consolidated, _created = Consolidated.objects.update_or_create(
            bid=bid,
            criterion=criterion,
            defaults={
                "value": value,
                "mean": mean,
                "justification": justification.strip(),
                "set_by": user,
                "set_at": clock.now(),
            },
        )
        journal_record(
            actor=user,
            obj=bid,
            action="note consolidée",
            reason=f"{criterion.name} : {rules.points(value)} (moyenne {rules.points(mean)})"
            + (f", au lieu de {rules.points(previous)}" if previous is not None else "")
            + (f" — {justification.strip()}" if justification.strip() else ""),
        )
        if previous is not None and previous != value:
            _ranking_changed(bid, user, f"note consolidée de {bid.bidder} corrigée")
    return consolidated

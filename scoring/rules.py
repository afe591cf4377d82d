"""The rules of a criteria grid and of a score sheet, as French messages naming the rule."""

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from procurement.choices import ANALYSIS_STATES, CandidatureState, ConsultationState, OfferState
from scoring.choices import SheetState

HUNDRED = Decimal(100)


@dataclass
class CriterionSpec:
    name: str
    weight: Decimal
    is_price: bool = False
    scale_max: Decimal = Decimal(10)
    levels: str = ""
    children: list = field(default_factory=list)


def points(value) -> str:
    return number_format(value, decimal_pos=2)


def parse_levels(text: str, scale_max: Decimal) -> list[tuple[Decimal, str]]:
    """ "0: absent", "5: correct"… one per line; raises ValueError with a French message."""
    levels = []
    for line in text.splitlines():
        if not line.strip():
            continue
        score, sep, description = line.partition(":")
        try:
            value = Decimal(score.strip().replace(",", "."))
        except InvalidOperation:
            value = None
        if not sep or value is None or not description.strip():
            raise ValueError(
                _("Write each level as “score: description” (%(line)s).") % {"line": line.strip()}
            )
        if not 0 <= value <= scale_max:
            raise ValueError(
                _("Level %(value)s is outside the scale 0 to %(max)s.")
                % {"value": points(value), "max": points(scale_max)}
            )
        levels.append((value, description.strip()))
    return levels


def grid_errors(specs: list[CriterionSpec]) -> list[str]:
    errors = []
    if not specs:
        return [_("A grid has at least one criterion.")]
    total = sum((s.weight for s in specs), Decimal(0))
    if total != HUNDRED:
        errors.append(
            _("The top-level weights add up to %(total)s points; they must add up to 100.")
            % {"total": points(total)}
        )
    prices = []

    def walk(nodes):
        for spec in nodes:
            if not spec.name.strip():
                errors.append(_("Every criterion has a name."))
            if spec.weight <= 0:
                errors.append(_("%(name)s: a weight is greater than 0.") % {"name": spec.name})
            if spec.children:
                sub = sum((c.weight for c in spec.children), Decimal(0))
                if sub != spec.weight:
                    errors.append(
                        _(
                            "The sub-criteria of %(name)s add up to %(sub)s points; they must "
                            "add up to its %(weight)s points."
                        )
                        % {"name": spec.name, "sub": points(sub), "weight": points(spec.weight)}
                    )
                if spec.is_price:
                    errors.append(_("The price criterion has no sub-criteria."))
                walk(spec.children)
            if spec.is_price:
                prices.append(spec)
            try:
                parse_levels(spec.levels, spec.scale_max)
            except ValueError as error:
                errors.append(f"{spec.name} : {error}")

    walk(specs)
    if len(prices) != 1:
        errors.append(_("A grid has exactly one price criterion, scored by the price formula."))
    return errors


def grid_content(grid) -> dict:
    def node(criterion, by_parent):
        return {
            "name": criterion.name,
            "weight": str(criterion.weight),
            "is_price": criterion.is_price,
            "scale_max": str(criterion.scale_max),
            "levels": criterion.levels,
            "children": [node(c, by_parent) for c in by_parent.get(criterion.pk, [])],
        }

    criteria = list(grid.criteria.order_by("position"))
    by_parent: dict[int | None, list] = {}
    for criterion in criteria:
        by_parent.setdefault(criterion.parent_id, []).append(criterion)
    return {
        "lot": grid.lot.number,
        "price_formula": grid.price_formula,
        "criteria": [node(c, by_parent) for c in by_parent.get(None, [])],
    }


def grid_hash(grid) -> str:
    payload = json.dumps(grid_content(grid), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def scored_criteria(grid):
    """The criteria an evaluator scores: the leaves, the price criterion aside."""
    criteria = list(grid.criteria.all())
    parents = {c.parent_id for c in criteria if c.parent_id}
    return [c for c in criteria if c.pk not in parents and not c.is_price]


def sheet_errors(sheet) -> list[str]:
    """What keeps a sheet from being submitted: every criterion scored and justified."""
    scores = {s.criterion_id: s for s in sheet.scores.all()}
    errors = []
    for criterion in scored_criteria(sheet.bid.lot.grid):
        score = scores.get(criterion.pk)
        if score is None:
            errors.append(_("%(name)s: no score yet.") % {"name": criterion.name})
        elif not score.justification.strip():
            errors.append(
                _("%(name)s: the score needs its written justification.") % {"name": criterion.name}
            )
    return errors


# --- The grid and the panel ------------------------------------------------------------------


def grid_edit_errors(grid, consultation) -> list[str]:
    """The grid is set while the consultation is a draft; published, it is frozen for good."""
    if grid.frozen_at:
        return [
            _(
                "The grid is frozen since the publication (hash %(hash)s…): weights and "
                "criteria announced to the candidates no longer change."
            )
            % {"hash": grid.content_hash[:12]}
        ]
    if consultation.state != ConsultationState.DRAFT:
        return [_("The grid is edited while the consultation is a draft.")]
    return []


def nomination_errors(evaluator, *, eligible: bool) -> list[str]:
    """`eligible`: the person holds the evaluator role at a member of the groupement."""
    if not eligible:
        return [
            _("%(person)s is not an evaluator of a member of the groupement.")
            % {"person": evaluator}
        ]
    return []


def seat_errors(evaluator, *, already_seated: bool) -> list[str]:
    if already_seated:
        return [_("%(person)s already sits on this panel.") % {"person": evaluator}]
    return []


def declaration_errors(panel_member) -> list[str]:
    """The declaration of no conflict of interest names the bidders: once, after the opening."""
    if panel_member.declared_at:
        return [_("The declaration is already signed.")]
    if not hasattr(panel_member.lot.consultation, "opening"):
        return [_("The declaration names the bidders: it is signed after the opening.")]
    return []


# --- Score sheets and consolidation ----------------------------------------------------------


def scoring_errors(panel_member, bid) -> list[str]:
    """An evaluator named on the lot scores, after the declaration, during the analysis, the
    admitted candidates with regular offers."""
    if panel_member.declared_at is None:
        return [_("Sign the declaration of no conflict of interest before scoring.")]
    if bid.lot.consultation.state not in ANALYSIS_STATES:
        return [_("Bids are scored while the consultation is in analysis.")]
    if bid.late or bid.candidature != CandidatureState.ADMITTED or bid.offer != OfferState.REGULAR:
        return [
            _("Only admitted candidates with regular offers are scored (%(bidder)s is not).")
            % {"bidder": bid.bidder}
        ]
    return []


def score_errors(criterion, value, *, scored, required=False) -> list[str]:
    """A score given to `criterion`, one of the evaluators' `scored` criteria, on its scale;
    None: no score, which only a draft may leave."""
    if criterion.pk not in {c.pk for c in scored}:
        return [_("%(name)s is not scored by evaluators.") % {"name": criterion.name}]
    if value is None and not required:
        return []
    if value is None or not Decimal(0) <= value <= criterion.scale_max:
        return [
            _("%(name)s: %(value)s is outside the scale 0 to %(max)s.")
            % {
                "name": criterion.name,
                "value": "—" if value is None else points(value),
                "max": points(criterion.scale_max),
            }
        ]
    return []


def sheet_scores_errors(grid, scores: dict) -> list[str]:
    """scores: {criterion: (value, justification)}, as a draft sheet records them."""
    scored = scored_criteria(grid)
    errors = []
    for criterion, (value, _justification) in scores.items():
        errors += score_errors(criterion, value, scored=scored)
    return errors


def sheet_edit_errors(sheet) -> list[str]:
    if sheet.state != SheetState.DRAFT:
        return [_("A submitted sheet no longer changes; the coordinator may reopen it.")]
    return []


def reopen_reason_errors(reason: str) -> list[str]:
    if not reason.strip():
        return [_("Say why the sheet is reopened.")]
    return []


def evaluation_window_errors(consultation) -> list[str]:
    """Scores, reopened sheets and consolidated scores change during the analysis only: once
    the award is proposed, what fed it no longer changes."""
    if consultation.state not in ANALYSIS_STATES:
        return [
            _(
                "The evaluation changes during the analysis only; once the award is proposed, "
                "what fed it no longer changes."
            )
        ]
    return []


def consolidation_errors(
    bid, criterion, value, justification: str, *, evaluation, previous=None
) -> list[str]:
    """The coordinator sets a (bid, criterion) score once every sheet of the lot is submitted,
    on the criterion's scale, saying why it departs from the evaluators' mean, or why it
    corrects a score already consolidated (`previous`). `evaluation`: the lot's sheet counts,
    rows and means (scoring.ranking.evaluate)."""
    errors = evaluation_window_errors(bid.lot.consultation)
    if errors:
        return errors
    expected, submitted = evaluation.expected_sheets, evaluation.submitted_sheets
    if not expected or submitted < expected:
        return [
            _(
                "Consolidation starts once every sheet of the lot is submitted (%(done)s of "
                "%(expected)s)."
            )
            % {"done": submitted, "expected": expected}
        ]
    errors = score_errors(criterion, value, scored=scored_criteria(bid.lot.grid), required=True)
    if errors:
        return errors
    mean = evaluation.means[(bid.pk, criterion.pk)][0]
    if value != mean and not justification.strip():
        return [
            _("%(value)s departs from the evaluators' mean (%(mean)s): say why.")
            % {"value": points(value), "mean": points(mean)}
        ]
    if previous is not None and value != previous and not justification.strip():
        return [
            _("%(value)s corrects the consolidated score %(previous)s: say why.")
            % {"value": points(value), "previous": points(previous)}
        ]
    return []

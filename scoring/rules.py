"""The rules of a criteria grid and of a score sheet, as French messages naming the rule."""

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext as _

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

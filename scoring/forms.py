from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import EMPTY_CHOICE, FrenchDecimalField
from groupement.models import User
from scoring.models import PriceFormula
from scoring.rules import CriterionSpec

GRID_HELP = gettext_lazy(
    "One criterion per line: name; points; then “price” for the price criterion, or the "
    "described levels separated by |. Indent a line (two spaces) to make it a sub-criterion "
    "of the line above. Example:\n"
    "Prix; 40; prix\n"
    "Valeur technique; 60\n"
    "  Méthodologie d'animation; 25; 0: absente | 5: correcte | 10: remarquable"
)


def parse_grid(text: str) -> list[CriterionSpec]:
    roots, current = [], None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        nested = line.startswith((" ", "\t", "-"))
        parts = [p.strip() for p in line.strip().lstrip("-").split(";")]
        if len(parts) < 2:
            raise forms.ValidationError(
                _("Line %(n)s: write at least “name; points”.") % {"n": number}
            )
        try:
            weight = Decimal(parts[1].replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            raise forms.ValidationError(
                _("Line %(n)s: “%(points)s” is not a number of points.")
                % {"n": number, "points": parts[1]}
            ) from None
        extra = ";".join(parts[2:]).strip()
        spec = CriterionSpec(
            name=parts[0],
            weight=weight,
            is_price=extra.lower() in ("prix", "price"),
            levels="" if extra.lower() in ("prix", "price") else extra.replace("|", "\n"),
        )
        if nested:
            if current is None:
                raise forms.ValidationError(
                    _("Line %(n)s: a sub-criterion follows its criterion.") % {"n": number}
                )
            current.children.append(spec)
        else:
            roots.append(spec)
            current = spec
    return roots


def grid_text(grid) -> str:
    lines = []
    criteria = list(grid.criteria.order_by("position"))
    for criterion in criteria:
        indent = "  " if criterion.parent_id else ""
        extra = "prix" if criterion.is_price else " | ".join(criterion.levels.splitlines())
        lines.append(
            f"{indent}{criterion.name}; {criterion.weight.normalize():f}"
            + (f"; {extra}" if extra else "")
        )
    return "\n".join(lines)


class GridForm(forms.Form):
    price_formula = forms.ChoiceField(
        label=gettext_lazy("Price formula"), choices=PriceFormula.choices
    )
    criteria = forms.CharField(
        label=gettext_lazy("Criteria and weights"),
        widget=forms.Textarea(attrs={"rows": 10, "class": "mono"}),
        help_text=GRID_HELP,
    )

    def clean_criteria(self):
        return parse_grid(self.cleaned_data["criteria"])


class SheetForm(forms.Form):
    """One score and one justification per criterion the evaluators score."""

    def __init__(self, *args, criteria, sheet=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        existing = {s.criterion_id: s for s in sheet.scores.all()} if sheet else {}
        for criterion in criteria:
            score = existing.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = FrenchDecimalField(
                label=_("%(name)s — score out of %(max)s")
                % {"name": criterion.name, "max": criterion.scale_max.normalize()},
                max_digits=5,
                decimal_places=2,
                required=False,
                initial=score.value if score else None,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "score"}),
                help_text=criterion.levels.replace("\n", " · "),
            )
            self.fields[f"justification_{criterion.pk}"] = forms.CharField(
                label=_("%(name)s — justification") % {"name": criterion.name},
                required=False,
                max_length=4000,
                initial=score.justification if score else "",
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def scores(self):
        return {
            c: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"justification_{c.pk}"])
            for c in self.criteria
        }


class PanelForm(forms.Form):
    evaluator = forms.ModelChoiceField(
        label=gettext_lazy("Evaluator"), queryset=User.objects.none(), empty_label=EMPTY_CHOICE
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluator"].queryset = candidates


class ConsolidationForm(forms.Form):
    value = FrenchDecimalField(
        label=gettext_lazy("Consolidated score"), max_digits=5, decimal_places=2
    )
    justification = forms.CharField(
        label=gettext_lazy("Justification"), required=False, max_length=4000
    )

"""The vocabulary of the evaluation: price formulas and the states of a score sheet.

Its own module so that the rules and the models can both use it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PriceFormula(models.TextChoices):
    PROPORTIONAL = "proportional", _("Proportional: N = Nmax × Pmin / P")
    LINEAR = "linear", _("Linear: N = Nmax × (Pmax − P) / (Pmax − Pmin)")
    RELATIVE_GAP = "relative_gap", _("Relative gap: N = Nmax × max(0, 1 − (P − Pmin) / Pmin)")


class SheetState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CPV_FORMAT = re.compile(r"^\d{8}-\d$")


def validate_cpv(value: str) -> None:
    """The CPV code's shape, NNNNNNNN-N.

    The ninth digit is not recomputed: the published CPV 2008 codes do not follow the
    check-digit method described in Regulation (EC) 213/2008, so only the official list can
    confirm it.
    """
    if not CPV_FORMAT.match(value or ""):
        raise ValidationError(
            _("A CPV code is written NNNNNNNN-N (eight digits, a dash, the check digit)."),
            code="cpv_format",
        )

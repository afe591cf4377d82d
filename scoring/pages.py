"""What the evaluation adds to the consultation's page."""

from core.hooks import Panel
from procurement.access import bids_are_open, can_read_bids


def evaluation_panel(request, consultation) -> Panel:
    """Each lot's grid, panel and, once the bids are opened, ranking."""
    return Panel(
        "scoring/_consultation_evaluation.html",
        lots=list(consultation.lots.all()),
        ranking=can_read_bids(request.user, consultation) and bids_are_open(consultation),
    )

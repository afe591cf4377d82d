from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.charts import svg_source
from core.formats import format_number
from core.pages import add_refusal, button_action, content_download, notice_page, show_refusal
from core.workflow import BusinessRuleError
from groupement.models import MembershipState, Role, User
from journal.memo import remembered
from procurement.access import bids_are_open, can_manage, can_read_bids, get_lot_for_user
from procurement.models import Bid
from procurement.pages import consultation_url
from scoring import charts, consolidation, exports, rules, services, tables
from scoring.access import get_sheet_for_user, seat
from scoring.forms import ConsolidationForm, GridForm, PanelForm, SheetForm, grid_text
from scoring.models import Criterion, Grid, PanelMember, ScoreSheet
from scoring.ranking import evaluate, scorable_bids, scorable_bids_of, spread_alert


@require_http_methods(["GET", "POST"])
@login_required
def grid_page(request, lot_pk):
    lot = get_lot_for_user(request.user, lot_pk)
    grid = Grid.objects.filter(lot=lot).first()
    manager = can_manage(request.user, lot.consultation)
    editable = manager and lot.consultation.state == "draft" and not (grid and grid.frozen_at)
    form = None
    if editable:
        initial = {"price_formula": grid.price_formula, "criteria": grid_text(grid)} if grid else {}
        form = GridForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.grid_define(
                    lot=lot,
                    user=request.user,
                    price_formula=form.cleaned_data["price_formula"],
                    criteria=form.cleaned_data["criteria"],
                )
                messages.success(request, _("Grid saved."))
                return redirect("scoring:grid", lot_pk=lot.pk)
            except BusinessRuleError as refusal:
                add_refusal(form, refusal)
    elif request.method == "POST":
        if not manager:
            raise PermissionDenied
        messages.error(
            request,
            _(
                "The grid is frozen since the publication: weights and criteria announced to the "
                "candidates no longer change."
            ),
        )
        return redirect("scoring:grid", lot_pk=lot.pk)
    criteria = list(grid.criteria.order_by("position")) if grid else []
    return render(
        request, "scoring/grid.html", {"lot": lot, "grid": grid, "criteria": criteria, "form": form}
    )


def _eligible(lot):
    return (
        User.objects.filter(
            groups__role_group__role=Role.EVALUATEUR,
            organisation__memberships__groupement=lot.consultation.groupement,
            organisation__memberships__state=MembershipState.SIGNED,
            is_active=True,
        )
        .exclude(panels__lot=lot)
        .select_related("organisation")
        .distinct()
    )


@require_http_methods(["GET", "POST"])
@login_required
def panel_page(request, lot_pk):
    lot = get_lot_for_user(request.user, lot_pk)
    manager = can_manage(request.user, lot.consultation)
    form = PanelForm(request.POST or None, candidates=_eligible(lot)) if manager else None
    if request.method == "POST":
        if not manager:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.panel_name(
                    lot=lot, user=request.user, evaluator=form.cleaned_data["evaluator"]
                )
                messages.success(request, _("Evaluator named."))
                return redirect("scoring:panel", lot_pk=lot.pk)
            except BusinessRuleError as refusal:
                add_refusal(form, refusal)
    panel = list(lot.panel.select_related("evaluator__organisation"))
    submitted = consolidation.submitted_by_seat(lot)
    for member in panel:
        member.submitted = submitted.get(member.pk, 0)
    return render(
        request,
        "scoring/panel.html",
        {
            "lot": lot,
            "panel": panel,
            "form": form,
            "manager": manager,
            "bids_count": scorable_bids_of([lot]).count(),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def declaration_page(request, lot_pk):
    lot = get_lot_for_user(request.user, lot_pk)
    member = seat(request.user, lot)
    if member is None:
        raise PermissionDenied
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the box to sign the declaration."))
        else:
            try:
                services.declaration_sign(panel_member=member, user=request.user)
                messages.success(
                    request,
                    _("Declaration signed: you may now read and score the bids of this lot."),
                )
                return redirect("scoring:workspace")
            except BusinessRuleError as refusal:
                show_refusal(request, refusal)
        return redirect("scoring:declaration", lot_pk=lot.pk)
    bids = lot.bids.filter(late=False).select_related("bidder")
    return render(request, "scoring/declaration.html", {"lot": lot, "member": member, "bids": bids})


SHEETS_PAGE_SIZE = 50


@require_GET
@login_required
def workspace(request):
    seats = list(
        PanelMember.objects.filter(evaluator=request.user)
        .select_related("lot__consultation")
        .order_by("-named_at")
    )
    for member in seats:
        bids = scorable_bids(member.lot)
        # Hundreds of sheets: the three fields the list shows, not model instances.
        sheets = {
            s["bid_id"]: SimpleNamespace(**s) for s in member.sheets.values("pk", "bid_id", "state")
        }
        member.done = sum(1 for s in sheets.values() if s.state == "submitted")
        member.total = len(bids)
        # A large lot has hundreds of offers: one page of them per panel (?fichesN=…).
        member.parameter = f"fiches{member.lot_id}"
        member.rows = Paginator(
            [(bid, sheets.get(bid.pk)) for bid in bids], SHEETS_PAGE_SIZE
        ).get_page(request.GET.get(member.parameter))
    return render(request, "scoring/workspace.html", {"seats": seats})


@require_http_methods(["GET", "POST"])
@login_required
def sheet_page(request, lot_pk, bid_pk):
    lot = get_lot_for_user(request.user, lot_pk)
    member = seat(request.user, lot)
    if member is None:
        raise PermissionDenied
    bid = get_object_or_404(Bid.objects.select_related("bidder"), pk=bid_pk, lot=lot)
    sheet = ScoreSheet.objects.filter(panel_member=member, bid=bid).first()
    criteria = rules.scored_criteria(Grid.objects.get(lot=lot))
    form = SheetForm(request.POST or None, criteria=criteria, sheet=sheet)
    if request.method == "POST" and form.is_valid():
        try:
            sheet = services.sheet_save(bid=bid, user=request.user, scores=form.scores())
            if request.POST.get("action") == "submit":
                services.sheet_submit(sheet=sheet, user=request.user)
                messages.success(request, _("Sheet submitted."))
                return redirect(_workspace_url(lot, bid))
            messages.success(request, _("Draft saved."))
            return redirect("scoring:sheet", lot_pk=lot.pk, bid_pk=bid.pk)
        except BusinessRuleError as refusal:
            add_refusal(form, refusal)
    return render(
        request,
        "scoring/sheet_form.html",
        {"lot": lot, "bid": bid, "sheet": sheet, "form": form, "member": member},
    )


@require_GET
@login_required
def sheet_view(request, sheet_pk):
    sheet = get_sheet_for_user(request.user, sheet_pk)
    lot = sheet.bid.lot
    return render(
        request,
        "scoring/sheet_view.html",
        {
            "sheet": sheet,
            "lot": lot,
            "scores": sheet.scores.select_related("criterion"),
            "manager": can_manage(request.user, lot.consultation),
        },
    )


@require_POST
@login_required
def sheet_reopen(request, sheet_pk):
    sheet = get_sheet_for_user(request.user, sheet_pk, manage=True)
    return button_action(
        request,
        lambda: services.sheet_reopen(
            sheet=sheet, user=request.user, reason=request.POST.get("reason", "")
        ),
        success=_("Sheet reopened."),
        next_url=reverse("scoring:consolidation", args=[sheet.bid.lot_id]),
    )


def _workspace_url(lot, bid) -> str:
    """Back to the page of « Mes évaluations » that lists `bid`, at its panel."""
    order = list(
        scorable_bids_of([lot]).order_by("bidder__name", "pk").values_list("pk", flat=True)
    )
    page = order.index(bid.pk) // SHEETS_PAGE_SIZE + 1 if bid.pk in order else 1
    parameter = f"fiches{lot.pk}"
    return f"{reverse('scoring:workspace')}?{parameter}={page}#{parameter}"


def _consolidation_url(lot, bid=None) -> str:
    url = reverse("scoring:consolidation", args=[lot.pk])
    return f"{url}?offre={bid.pk}" if bid is not None else url


@require_GET
@login_required
def consolidation_page(request, lot_pk):
    """The overview of the lot, or one offer (?offre=pk) with a form per criterion."""
    lot = get_lot_for_user(request.user, lot_pk, manage=True)
    evaluation = evaluate(lot)
    alert = spread_alert()
    context = {"lot": lot, "evaluation": evaluation, "alert": alert}
    rows = evaluation.rows
    chosen = request.GET.get("offre", "")
    if not chosen:
        context["offers"] = consolidation.offers(evaluation, alert)
        context["evaluators"] = consolidation.evaluators(evaluation)
        return render(request, "scoring/consolidation.html", context)
    position = next((i for i, r in enumerate(rows) if str(r.bid.pk) == chosen), None)
    if position is None:
        return notice_page(
            request,
            title=_("Offer not found"),
            reason=_("This offer is not among the ranked offers of the lot."),
            back_url=_consolidation_url(lot),
            status=404,
        )
    bid = rows[position].bid
    cells = consolidation.offer_cells(evaluation, bid, alert)
    for cell in cells:
        note = cell.consolidated
        cell.form = ConsolidationForm(
            initial={
                "value": note.value if note else cell.mean,
                "justification": note.justification if note else "",
            },
            prefix=f"c{bid.pk}-{cell.criterion.pk}",
        )
    context.update(
        {
            "bid": bid,
            "cells": cells,
            "previous": rows[position - 1].bid if position > 0 else None,
            "next": rows[position + 1].bid if position + 1 < len(rows) else None,
        }
    )
    return render(request, "scoring/consolidation_offer.html", context)


@require_POST
@login_required
def consolidate(request, lot_pk, bid_pk, criterion_pk):
    lot = get_lot_for_user(request.user, lot_pk, manage=True)
    bid = get_object_or_404(Bid, pk=bid_pk, lot=lot)
    criterion = get_object_or_404(Criterion, pk=criterion_pk, grid__lot=lot)
    form = ConsolidationForm(request.POST, prefix=f"c{bid.pk}-{criterion.pk}")
    next_url = _consolidation_url(lot, bid)
    if not form.is_valid():
        messages.error(request, _("Enter a score."))
        return redirect(next_url)
    return button_action(
        request,
        lambda: services.consolidate(
            bid=bid,
            criterion=criterion,
            user=request.user,
            value=form.cleaned_data["value"],
            justification=form.cleaned_data["justification"],
        ),
        success=_("Consolidated score recorded."),
        next_url=next_url,
    )


def _not_ready(request, lot):
    """A lot is ranked and exported once its bids are opened and it has a grid: before, a page
    that says so (a sealed lot's prices must not even feed a price score)."""
    if not bids_are_open(lot.consultation):
        reason = _("The bids of this lot are not opened yet: there is nothing to rank or export.")
    elif not Grid.objects.filter(lot=lot).exists():
        reason = _("This lot has no criteria grid yet: there is nothing to rank or export.")
    else:
        return None
    return notice_page(
        request,
        title=_("Not available yet"),
        reason=reason,
        back_url=consultation_url(lot.consultation),
    )


def _ranking_cell(position, value) -> tuple[str, object]:
    """(class, text) of a cell of the synthesis: its rank, its bidder, then figures."""
    if value is None or value != value:  # NaN: not scored yet
        return "num", "—"
    if position == 1:
        return "", value
    return "num", value if position == 0 else format_number(value, 2)


def _ranking_table(evaluation) -> str:
    """The synthesis as an HTML table, the same for every reader of the lot: formatted and
    drawn once per version of the data (a large lot ranks hundreds of offers)."""
    synthesis = tables.synthesis(evaluation)
    rows = [
        [_ranking_cell(position, value) for position, value in enumerate(record)]
        for record in synthesis.itertuples(index=False)
    ]
    return render_to_string(
        "scoring/_ranking_table.html", {"columns": list(synthesis.columns), "table": rows}
    )


def _charts(evaluation, *, individual) -> str:
    """The pictures of the ranking as SVG images beside their figures, drawn once per version
    of the data, language and kind of reader."""
    figures = []
    for figure in charts.figures(evaluation, individual=individual):
        drawing = figure.draw("Helvetica")
        figures.append(
            {
                "title": figure.title,
                "summary": figure.summary,
                "columns": figure.columns,
                "rows": figure.rows,
                "source": svg_source(drawing),
                "width": int(drawing.width),
                "height": int(drawing.height),
            }
        )
    return render_to_string("scoring/_charts.html", {"figures": figures, "individual": individual})


@require_GET
@login_required
def ranking_page(request, lot_pk):
    lot = get_lot_for_user(request.user, lot_pk)
    if not can_read_bids(request.user, lot.consultation):
        raise PermissionDenied
    refusal = _not_ready(request, lot)
    if refusal:
        return refusal
    evaluation = evaluate(lot)
    table = remembered(
        ("ranking table", lot.pk, get_language()), lambda: _ranking_table(evaluation)
    )
    individual = can_manage(request.user, lot.consultation)
    pictures = remembered(
        ("ranking charts", lot.pk, get_language(), individual),
        lambda: _charts(evaluation, individual=individual),
    )
    return render(
        request,
        "scoring/ranking.html",
        {
            "lot": lot,
            "evaluation": evaluation,
            "table": table,
            "charts": pictures,
            "changes": evaluation.changes if evaluation.complete else None,
        },
    )


@require_GET
@login_required
def export(request, lot_pk, fmt):
    lot = get_lot_for_user(request.user, lot_pk)
    if can_manage(request.user, lot.consultation):
        visibility = exports.FULL
    elif can_read_bids(request.user, lot.consultation):
        visibility = exports.CONSOLIDATED
    elif seat(request.user, lot) is not None:
        visibility = exports.OWN
    else:
        raise PermissionDenied
    refusal = _not_ready(request, lot)
    if refusal:
        return refusal
    name = f"grille-{lot.consultation.reference}-lot{lot.number}"
    if fmt == "xlsx":
        content = exports.export_xlsx(lot, user=request.user, visibility=visibility)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "csv":
        content = exports.export_csv(lot, user=request.user, visibility=visibility)
        kind = "text/csv; charset=utf-8"
    elif fmt == "pdf" and visibility != exports.OWN:
        content = exports.export_pdf(lot, user=request.user, visibility=visibility)
        kind = "application/pdf"
    else:
        raise PermissionDenied
    return content_download(content, filename=f"{name}.{fmt}", content_type=kind)

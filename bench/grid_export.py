"""Benchmark of the evaluation-grid export (a measure, not a test).

In a fresh SQLite database: one lot with 200 bids, 30 scored criteria plus the price, and 15
evaluators (90 000 scores). Times the xlsx export and its peak memory, then pandas writing the
same, already-built frames with the same engine (xlsxwriter), and prints as its last line
ratio=<export time / pandas time>.

    python bench/grid_export.py
"""

import datetime
import io
import os
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only")
os.environ["DJANGO_VAR_DIR"] = tempfile.mkdtemp(prefix="grid-bench-")
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

import pandas as pd  # noqa: E402
from django.core.management import call_command  # noqa: E402

from core import clock  # noqa: E402

BIDS, CRITERIA, EVALUATORS = 200, 30, 15


def build():
    from groupement.identifiers import with_luhn_key
    from groupement.models import Groupement, Organisation, User
    from procurement.models import Bid, Bidder, Consultation, Lot, Opening
    from scoring.models import Criterion, Grid, PanelMember, Score, ScoreSheet

    now = clock.now()
    org = Organisation.objects.create(
        name="Banc d'essai", short_name="BANC", kind="other", siret=with_luhn_key("9000000000001")
    )
    user = User.objects.create(username="banc", organisation=org)
    groupement = Groupement.objects.create(
        name="Banc",
        purpose="Banc",
        duration_months=12,
        coordinator=org,
        mission="A",
        committee_kind="coordinator",
        state="in_force",
    )
    consultation = Consultation.objects.create(
        groupement=groupement,
        reference="BANC-1",
        title="Banc d'essai",
        procedure="open",
        nature="services",
        cpv_code="79411100-9",
        questions_deadline=now,
        offers_deadline=now,
        state="analysis",
    )
    lot = Lot.objects.create(
        consultation=consultation, number=1, title="Lot", estimated_value=Decimal("1000000")
    )
    Opening.objects.create(
        consultation=consultation,
        opened_by=user,
        opened_at=now,
        bids_count=BIDS,
        late_count=0,
        minutes="",
    )
    grid = Grid.objects.create(lot=lot, frozen_at=now, content_hash="0" * 64)
    Criterion.objects.create(grid=grid, position=0, name="Prix", weight=Decimal(40), is_price=True)
    technical = Criterion.objects.create(
        grid=grid, position=1, name="Valeur technique", weight=Decimal(60)
    )
    criteria = Criterion.objects.bulk_create(
        Criterion(
            grid=grid,
            parent=technical,
            position=2 + i,
            name=f"Sous-critère {i + 1}",
            weight=Decimal(2),
        )
        for i in range(CRITERIA)
    )
    bidders = Bidder.objects.bulk_create(
        Bidder(name=f"Opérateur {i:03d}", siret=with_luhn_key(f"{800000000 + i:09d}0001"))
        for i in range(BIDS)
    )
    bids = Bid.objects.bulk_create(
        Bid(
            lot=lot,
            bidder=b,
            received_at=now - datetime.timedelta(days=1),
            price=Decimal(500000 + i * 137),
            candidature="admitted",
            offer="regular",
            registered_by=user,
        )
        for i, b in enumerate(bidders)
    )
    evaluators = User.objects.bulk_create(
        User(username=f"eval{i}", first_name="Éva", last_name=f"Luatrice {i}", organisation=org)
        for i in range(EVALUATORS)
    )
    seats = PanelMember.objects.bulk_create(
        PanelMember(lot=lot, evaluator=e, named_by=user, named_at=now, declared_at=now)
        for e in evaluators
    )
    sheets = ScoreSheet.objects.bulk_create(
        ScoreSheet(panel_member=s, bid=b, state="submitted", submitted_at=now)
        for s in seats
        for b in bids
    )
    Score.objects.bulk_create(
        (
            Score(
                sheet=sheet,
                criterion=c,
                value=Decimal((sheet.pk + c.pk) % 11),
                justification="Justification de la note.",
            )
            for sheet in sheets
            for c in criteria
        ),
        batch_size=5000,
    )
    return lot


def main():
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    lot = build()
    print(
        f"data built in {time.perf_counter() - started:.1f} s "
        f"({BIDS} bids, {CRITERIA} criteria, {EVALUATORS} evaluators, "
        f"{BIDS * CRITERIA * EVALUATORS} scores)"
    )

    from scoring import exports

    started = time.perf_counter()
    content = exports.export_xlsx(lot)
    export_time = time.perf_counter() - started
    # Memory is measured on a second run: tracing allocations slows Python down.
    tracemalloc.start()
    exports.export_xlsx(lot)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"export: {export_time:.2f} s, peak memory {peak / 2**20:.0f} MiB, "
        f"{len(content) / 2**20:.1f} MiB written"
    )

    frames = exports._sheets(lot, user=None, visibility=exports.FULL)
    started = time.perf_counter()
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
        for name, frame in frames.items():
            frame.to_excel(writer, sheet_name=name, index=isinstance(frame.columns, pd.MultiIndex))
    pandas_time = time.perf_counter() - started
    print(f"pandas alone writing the same frames: {pandas_time:.2f} s")
    print(f"ratio={export_time / pandas_time:.2f}")


if __name__ == "__main__":
    main()

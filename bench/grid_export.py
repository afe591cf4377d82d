"""Benchmark of the evaluation-grid export against the physical limit (a measure, not a test).

On the large benchmark database of bench/pages.py (built once if missing: 200 bids, 30
criteria, 15 evaluators, every sheet submitted and every score consolidated, so the ranking and
its sensitivity run): the coordinator's full xlsx export, as the page serves it (reading the
database, ranking, sensitivity, every sheet), against plain xlsxwriter writing the same cells
with no format, from values already in memory. CPU time of this process (process_time), one
warm-up then the median of 3 runs each; the export's peak memory is traced on a run of its own.
Goal: ratio <= 1.3, peak <= 250 MiB. Last line: ratio=... peak_mib=...

    python bench/grid_export.py
"""

import io
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RUNS = 3


def _cells(sheets) -> dict:
    """name -> rows of plain values, as the export lays them out (headers included)."""
    import pandas as pd

    from scoring.exports import Rows

    laid_out = {}
    for name, sheet in sheets.items():
        if isinstance(sheet, Rows):
            laid_out[name] = [tuple(sheet.columns), *sheet.rows]
        elif isinstance(sheet.columns, pd.MultiIndex):
            headers = [("", *level) for level in zip(*sheet.columns, strict=True)]
            body = [
                (label, *values)
                for label, values in zip(sheet.index, sheet.values.tolist(), strict=True)
            ]
            laid_out[name] = [*headers, *body]
        else:
            laid_out[name] = [tuple(sheet.columns), *map(tuple, sheet.values.tolist())]
    return laid_out


def _plain_xlsxwriter(cells) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    book = xlsxwriter.Workbook(buffer, options)
    for name, rows in cells.items():
        sheet = book.add_worksheet(name)
        for number, row in enumerate(rows):
            sheet.write_row(number, 0, [None if v != v else v for v in row])  # NaN: empty
    book.close()
    return buffer.getvalue()


def _cpu(function) -> tuple[float, object]:
    started = time.process_time()
    result = function()
    return time.process_time() - started, result


def main():
    from bench.pages import SERVER, SIZES, _build, _environment

    _build("bench_large", SIZES["large"], rebuild=False)
    os.environ.update(_environment(f"{SERVER}/bench_large"))
    import django

    django.setup()
    from config.benchdata import build, roles
    from scoring import exports

    bench = build()
    lot, coordinator = bench.lot, roles(bench)["coordinateur"]

    def export():
        return exports.export_xlsx(lot, user=coordinator, visibility=exports.FULL)

    cells = _cells(exports._sheets(lot, user=coordinator, visibility=exports.FULL))
    scores = sum(len(rows) for rows in cells.values())
    print(f"{lot.bids.count()} bids, {len(cells)} sheets, {scores} rows")

    export()  # warm-up: templates, translations, the database's cache
    export_times = [_cpu(export)[0] for _ in range(RUNS)]
    _plain_xlsxwriter(cells)
    plain_times = [_cpu(lambda: _plain_xlsxwriter(cells))[0] for _ in range(RUNS)]

    tracemalloc.start()
    content = export()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    export_cpu, plain_cpu = statistics.median(export_times), statistics.median(plain_times)
    print(f"export (read, rank, sensitivity, write): {export_cpu:.2f} s CPU, median of {RUNS}")
    print(f"plain xlsxwriter, the same cells:        {plain_cpu:.2f} s CPU, median of {RUNS}")
    print(f"written: {len(content) / 2**20:.1f} MiB; export peak memory {peak / 2**20:.0f} MiB")
    print(f"ratio={export_cpu / plain_cpu:.2f} peak_mib={peak / 2**20:.0f}")


if __name__ == "__main__":
    main()

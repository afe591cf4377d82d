"""Benchmark of every page at two sizes of data, on PostgreSQL (a measure, not a test).

Two databases are built once with `manage.py bench_data` (kept between runs; --rebuild builds
them again): the large one at the size of a large real consultation (200 bids, 30 criteria,
15 evaluators: 90 000 scores), the small one at a tenth of it. Every URL pattern of the site
is filled in with the benchmark consultation's objects and requested by each role (the
coordinator's manager, a member's référent, an evaluator, a tender committee member, a
reader); each page a role may see (200) is requested once to warm up, then --repeat times.

For each page and role: the queries at both sizes (they must be equal), the HTML size, the
median server time (wall clock, the database's work included) and the median CPU time of the
process. Budget: 250 ms and 250 KiB per HTML page at the large size. Last line:
pages= over_time= over_size= unequal_queries= worst_ms=

    python bench/pages.py                     # PostgreSQL on 127.0.0.1:5432, user postgres
    BENCH_POSTGRES=postgres://user@host:5432 python bench/pages.py --repeat 5 --only ranking
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
SIZES = {
    "small": ["--bids", "20", "--criteria", "3", "--evaluators", "2", "--others", "2"]
    + ["--amendments", "5"],
    "large": [],  # bench_data's defaults: the large consultation
}
BUDGET_MS, BUDGET_KIB = 250, 250


def _environment(database_url):
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "benchmark-only"),
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_SSL_REDIRECT": "0",
        "DJANGO_VAR_DIR": str(ROOT / "var" / "bench"),
        "DJANGO_LOG_LEVEL": "ERROR",
    }


def _build(name, arguments, rebuild):
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if not exists or rebuild:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    env = _environment(f"{SERVER}/{name}")
    manage = [sys.executable, str(ROOT / "manage.py")]
    if exists and not rebuild:
        # Kept from an earlier run: brought to the current schema, its data left as it is.
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
        return
    print(f"building {name}…", file=sys.stderr, flush=True)
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([*manage, "bench_data", *arguments], env=env, check=True)


# --- Inside one database ---------------------------------------------------------------------


def measure(repeat, only):
    import logging

    import django

    django.setup()
    logging.disable(logging.ERROR)  # refusals (403, 405) are what the crawl expects
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from config.benchdata import build, pages, roles
    from procurement.models import Consultation

    if not Consultation.objects.filter(reference="BANC-2026-01").exists():
        sys.exit("No benchmark data in this database: run manage.py bench_data first.")
    bench = build()  # already built: finds it
    # As served in production: the compressed, hashed static files of the manifest.
    call_command("collectstatic", interactive=False, verbosity=0)
    urls = pages(bench, only)
    for role, user in roles(bench).items():
        client = Client(raise_request_exception=False)
        client.force_login(user, backend="groupement.backends.PersonBackend")
        for name, url in urls:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            count = len(queries)  # now: the next request forgets them
            if response.status_code >= 500:
                print(f"{response.status_code} {role} {url}", file=sys.stderr)
            if response.status_code != 200:
                continue
            walls, cpus = [], []
            for _ in range(repeat):
                wall, cpu = time.perf_counter(), time.process_time()
                client.get(url)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
            content_type = response.get("Content-Type", "")
            body = b"".join(response) if response.streaming else response.content
            print(
                json.dumps(
                    {
                        "page": name,
                        "url": url,
                        "role": role,
                        "html": content_type.startswith("text/html"),
                        "queries": count,
                        "kib": len(body) / 1024,
                        "wall_ms": statistics.median(walls) * 1000,
                        "cpu_ms": statistics.median(cpus) * 1000,
                    }
                ),
                flush=True,
            )


# --- Both sizes, side by side ----------------------------------------------------------------


def _run(size, repeat, only):
    command = [sys.executable, __file__, "--measure", "--repeat", str(repeat)]
    if only:
        command += ["--only", only]
    output = subprocess.run(
        command,
        env=_environment(f"{SERVER}/bench_{size}"),
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return {(r["page"], r["role"]): r for r in map(json.loads, output.splitlines())}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", default="", help="pages whose name contains this text")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        sys.path.insert(0, str(ROOT))
        measure(options.repeat, options.only)
        return
    for size, arguments in SIZES.items():
        _build(f"bench_{size}", arguments, options.rebuild)
    small = _run("small", 1, options.only)
    large = _run("large", options.repeat, options.only)
    over_time = over_size = unequal = 0
    print(f"{'page':<32} {'role':<12} {'queries':>11} {'KiB':>7} {'ms':>7} {'cpu ms':>7}")
    for key, row in sorted(large.items(), key=lambda item: -item[1]["wall_ms"]):
        before = small.get(key, {}).get("queries")
        flags = []
        if before != row["queries"]:
            unequal += 1
            flags.append("queries grow")
        if row["html"] and row["wall_ms"] > BUDGET_MS:
            over_time += 1
            flags.append("slow")
        if row["html"] and row["kib"] > BUDGET_KIB:
            over_size += 1
            flags.append("heavy")
        kind = "" if row["html"] else " (file)"
        print(
            f"{row['page'] + kind:<32} {row['role']:<12} {before!s:>4} -> {row['queries']:<4} "
            f"{row['kib']:7.0f} {row['wall_ms']:7.0f} {row['cpu_ms']:7.0f}  {' '.join(flags)}"
        )
    pages = [r for r in large.values() if r["html"]]
    worst = max((r["wall_ms"] for r in pages), default=0)
    print(
        f"pages={len(pages)} over_time={over_time} over_size={over_size} "
        f"unequal_queries={unequal} worst_ms={worst:.0f}"
    )


if __name__ == "__main__":
    main()

"""Load benchmark: 50 people at work on gunicorn and PostgreSQL (a measure, not a test).

The application is served as `make serve` serves it (gunicorn, config/gunicorn_conf.py) on the
large benchmark database of bench/pages.py (built once if missing). Fifty people already logged
in, in the proportions of a joint procurement (5 coordinator's managers, 12 members'
référents, 15 evaluators, 8 tender committee members, 10 readers), each go through the pages
of their role, one second between a page and the next, for 60 seconds. They arrive one after
another over the first second (--together: all at the same instant, and then in step).
Bounded: each person stops at the end of the time or after --max-pages pages.

Prints the latency percentiles of every page served, the errors (an answer other than 200, or
no answer within 10 s) and the throughput; last line: p50_ms= p95_ms= errors= rps=
Goal: p95 <= 300 ms, no error. With --no-pause, the people do not pause: the throughput is then
the saturation throughput of the machine.

    python bench/load.py [--seconds 60] [--people 50] [--no-pause] [--together]
"""

import argparse
import http.client
import itertools
import os
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PORT = 8765
# How many people of each role, out of 50; and the pages each role goes through, in order.
MIX = {"coordinateur": 5, "référent": 12, "évaluateur": 15, "membre CAO": 8, "lecteur": 10}
ROUNDS = {
    "coordinateur": [
        "groupement:dashboard",
        "procurement:list",
        "procurement:detail",
        "procurement:analysis",
        "scoring:consolidation",
        "scoring:ranking",
        "contracts:award",
        "contracts:contract",
    ],
    "référent": [
        "groupement:dashboard",
        "procurement:detail",
        "scoring:ranking",
        "contracts:award",
        "contracts:contract",
    ],
    # Each evaluator's own sheet of the same bid.
    "évaluateur": ["scoring:workspace", "scoring:sheet", "scoring:grid", "procurement:detail"],
    "membre CAO": ["groupement:dashboard", "contracts:award", "procurement:detail"],
    "lecteur": ["groupement:dashboard", "procurement:list", "procurement:detail"],
}


def _people(count):
    """(role, session cookie, [paths]) for `count` people: sessions opened in the database as a
    login would, so that the benchmark measures pages, not password hashing."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from config.benchdata import build, pages, roles
    from groupement.models import Role

    bench = build()
    urls = dict(pages(bench))

    def members(role):
        return [user for (_org, held), user in bench.people.items() if held == role]

    holders = {
        "coordinateur": [roles(bench)["coordinateur"]],
        "référent": members(Role.REFERENT),
        "évaluateur": bench.evaluators,
        "membre CAO": members(Role.MEMBRE_CAO),
        "lecteur": members(Role.LECTEUR),
    }
    total = sum(MIX.values())
    people = []
    for role, share in MIX.items():
        for n in range(round(count * share / total)):
            user = holders[role][n % len(holders[role])]
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "groupement.backends.PersonBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
            paths = [urls[name] for name in ROUNDS[role] if name in urls]
            people.append((role, cookie, paths))
    return people


def _serve(env):
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        str(ROOT / "config" / "gunicorn_conf.py"),
        "config.wsgi",
    ]
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, start_new_session=True
    )
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            connection.request("GET", "/connexion/")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    os.killpg(server.pid, signal.SIGTERM)
    sys.exit("gunicorn did not answer within 20 s.")


def _person(cookie, paths, *, start_after, until, pause, max_pages, results, lock):
    time.sleep(start_after)
    connection = None
    for path in itertools.islice(itertools.cycle(paths), max_pages):
        if time.monotonic() >= until:
            break
        started = time.perf_counter()
        try:
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
            connection.request("GET", path, headers={"Cookie": cookie})
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
            if not ok:
                print(f"{response.status} {path}", file=sys.stderr)
        except (OSError, http.client.HTTPException):
            ok, connection = False, None
        elapsed = time.perf_counter() - started
        with lock:
            results.append((path, elapsed, ok))
        if pause:
            time.sleep(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--max-pages", type=int, default=1000, help="per person")
    parser.add_argument("--no-pause", action="store_true")
    parser.add_argument(
        "--together",
        action="store_true",
        help="everybody starts at the same instant (and stays in step) instead of one after "
        "another over the first second",
    )
    options = parser.parse_args()

    from bench.pages import SERVER, SIZES, _build, _environment

    _build("bench_large", SIZES["large"], rebuild=False)
    env = {
        **_environment(f"{SERVER}/bench_large"),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "HOST": "127.0.0.1",
        "PORT": str(PORT),
    }
    os.environ.update(env)
    people = _people(options.people)
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"],
        env=env,
        check=True,
    )
    server = _serve(env)
    results: list = []
    lock = threading.Lock()
    try:
        started = time.monotonic()
        until = started + options.seconds
        threads = [
            threading.Thread(
                target=_person,
                args=(cookie, paths),
                kwargs={
                    # People who click at the same millisecond every second are an artefact of
                    # the benchmark, not of an office: they arrive one after another over the
                    # first pause, then each keeps their own pace.
                    "start_after": 0 if options.together else index / len(people),
                    "until": until,
                    "pause": not options.no_pause,
                    "max_pages": options.max_pages,
                    "results": results,
                    "lock": lock,
                },
            )
            for index, (_role, cookie, paths) in enumerate(people)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        duration = time.monotonic() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    by_path: dict = {}
    failed: dict = {}
    for path, elapsed, ok in results:
        by_path.setdefault(path, []).append(elapsed * 1000)
        failed[path] = failed.get(path, 0) + (not ok)
    for path, times in sorted(by_path.items(), key=lambda item: -statistics.median(item[1])):
        print(
            f"{path:<48} {len(times):>5} pages  median {statistics.median(times):6.0f} ms"
            f"  errors {failed[path]}"
        )
    times = sorted(elapsed * 1000 for _path, elapsed, _ok in results)
    errors = sum(1 for _path, _elapsed, ok in results if not ok)
    p50 = statistics.median(times) if times else 0
    p95 = times[int(0.95 * (len(times) - 1))] if times else 0
    mode = "without pauses (saturation)" if options.no_pause else "one second between pages"
    print(f"{len(people)} people, {mode}, {duration:.0f} s, {len(results)} pages")
    print(f"p50_ms={p50:.0f} p95_ms={p95:.0f} errors={errors} rps={len(results) / duration:.1f}")


if __name__ == "__main__":
    main()

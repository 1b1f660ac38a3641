"""Load benchmark (not a test): ``.venv/bin/python scripts/bench_load.py``.

Serves the project with gunicorn, as deploy/Dockerfile runs it (``--workers``
processes × ``--threads`` threads, by default the Dockerfile's 3 × 4 for two
cores), and drives it with wrk (Debian package ``wrk``) from 127.0.0.1 with a
mixed workload of the frontends' canonical queries (graphql/queries/): service
lists filtered by municipality, municipality pages, service details, site
searches and the taxonomies, each with several variable sets in turn.

It reports req/s, p50, p95, p99 and errors (non-200 answers, answers with
GraphQL ``errors``, socket errors) for:

- ``/health/live``: the framework floor, the cheapest answer the server gives;
- **warm**: the response cache on, every request of the mix already answered
  once (cache hits). Targets: ≥ 300 req/s, p95 ≤ 150 ms, no errors;
- **cold**: the response cache off (``RESPONSE_CACHE_SECONDS=0``), the same mix;
- **cold, one at a time** (concurrency 1), the latency of ``services`` beside
  the ORM floor (scripts/floor.py, the same lists fetched with hand-written ORM
  queries in this process) and of ``siteSearch`` beside the raw Elasticsearch
  query (the very request bodies the GraphQL requests sent, captured here and
  sent by wrk straight to Elasticsearch). Targets: services p95 ≤ 1.5× the
  ORM floor, siteSearch p95 ≤ 2× raw Elasticsearch.

It also reports the workers' resident memory before and after each run, and
its growth per 1,000 requests: what ``--max-requests`` (worker recycling)
should be set from.

Data: the database, index and cache of the environment (DATABASE_URL,
ELASTICSEARCH_URL, CACHE_URL; ``eval "$(deploy/local-services.sh env)"``). A
database without services gets the demo content first (``load_demo``), and an
empty delivery index a ``search_rebuild``. Requests only read.
"""

# Django is configured before its modules are imported.
# ruff: noqa: E402

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUERIES = ROOT / "graphql" / "queries"
BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "cms.settings",
    "DEBUG": "0",
    "SECRET_KEY": "bench-load-only",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    # The limits would answer most of the load with 429; they are measured elsewhere.
    "RATE_LIMITS_ENABLED": "0",
    "LOG_LEVEL": "WARNING",
}
MUNICIPALITIES = ["049", "091", "092", "235", "245", "638", "710", "753"]
SEARCH_TEXTS = ["palkkatuki", "työkokeilu", "kuntouttava työtoiminta", "nuoret", "koulutus"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds per run (20)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections (8)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (3)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (4)")
    parser.add_argument("--details", type=int, default=12, help="services in the mix (12)")
    return parser.parse_args()


ARGS = parse_args()
os.environ.update({key: value for key, value in BENCH_ENV.items() if key not in os.environ})

import django

django.setup()

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from wagtail.models import Locale

from catalogue.models import ServicePage
from scripts import benchlib
from scripts.floor import Floor
from search import index

LOCALE = "fi"


def document(operation):
    """A frontend's query document by operation name."""
    for path in sorted(QUERIES.glob("*.graphql")):
        text = path.read_text()
        if f"query {operation}(" in text or f"query {operation} " in text:
            return text
    sys.exit(f"No query {operation} in {QUERIES}")


def workload():
    """(name, JSON body) of every request of the mix."""
    keys = list(
        ServicePage.objects.live()
        .filter(locale__language_code=LOCALE)
        .order_by("key")
        .values_list("key", flat=True)[: ARGS.details]
    )
    requests = []
    for code in MUNICIPALITIES:
        requests.append(
            ("ServiceList", {"locale": LOCALE, "filter": {"municipalities": [code]}}),
        )
        requests.append(("MunicipalityPage", {"code": code, "locale": LOCALE}))
    for key in keys:
        requests.append(("ServiceDetail", {"key": key, "locale": LOCALE}))
    for text in SEARCH_TEXTS:
        requests.append(("SiteSearch", {"query": text, "locale": LOCALE}))
    for locale in ("fi", "sv", "en"):
        requests.append(("Taxonomies", {"locale": locale}))
    return [
        (name, json.dumps({"query": document(name), "variables": variables, "operationName": name}))
        for name, variables in requests
    ]


# --- wrk ------------------------------------------------------------------------

LUA = r"""
local requests = {}
local bodies = %(bodies)s
local index = 0
local counters = {}

function setup(thread)
  table.insert(counters, thread)
  thread:set("id", #counters)
end

function init(args)
  for i, b in ipairs(bodies) do
    requests[i] = wrk.format(b.method, b.path, b.headers, b.body)
  end
  index = id or 0
  failed = 0
  graphql_errors = 0
end

function request()
  index = index + 1
  return requests[(index %% #requests) + 1]
end

function response(status, headers, body)
  if status ~= 200 then
    failed = failed + 1
  elseif body:find('"errors"', 1, true) then
    graphql_errors = graphql_errors + 1
  end
end

function done(summary, latency, requests_)
  local failed_total, errors_total = 0, 0
  for _, thread in ipairs(counters) do
    failed_total = failed_total + thread:get("failed")
    errors_total = errors_total + thread:get("graphql_errors")
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %%d, "seconds": %%f, "p50": %%f, "p95": %%f, "p99": %%f, ' ..
    '"non200": %%d, "graphql_errors": %%d, "socket_errors": %%d}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3, latency:percentile(99) / 1e3,
    failed_total, errors_total, e.connect + e.read + e.write + e.timeout))
end
"""


def lua_string(text):
    return "[==[" + text + "]==]"


def wrk(url, bodies, connections, duration):
    """Run wrk over these requests in turn; returns the RESULT dict (latencies in ms)."""
    entries = ",\n".join(
        f"{{method={lua_string(method)}, path={lua_string(path)}, "
        f'headers={{["Content-Type"]={lua_string(ctype)}}}, body={lua_string(body)}}}'
        for method, path, ctype, body in bodies
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % {"bodies": "{\n" + entries + "\n}"})
    threads = min(connections, 2)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        script.name,
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def graphql_bodies(requests):
    return [("POST", "/graphql/", "application/json", body) for _, body in requests]


# --- gunicorn --------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn as deploy/Dockerfile runs it, on a free local port."""

    def __init__(self, **env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            str(Path(sys.executable).parent / "gunicorn"), "cms.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(ARGS.workers), "--threads", str(ARGS.threads),
            "--timeout", "60", "--keep-alive", "5", "--worker-tmp-dir", "/dev/shm",
            "--log-level", "warning",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            # WhiteNoise warns once per worker that static files were not collected.
            env={**os.environ, "PYTHONWARNINGS": "ignore::UserWarning", **env},
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/health/live", timeout=1)
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        sys.exit("gunicorn did not start within 60 s")

    def worker_rss_mb(self):
        """Resident memory of each worker, in MB."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        sizes = []
        for pid in children.read_text().split():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes

    def prime(self, requests):
        """Answer every request once (and warm every worker's process caches)."""
        for _ in range(ARGS.workers * 2):
            for _, body in requests:
                request = urllib.request.Request(
                    f"{self.url}/graphql/", body.encode(), {"Content-Type": "application/json"}
                )
                urllib.request.urlopen(request, timeout=30).read()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


# --- Floors measured in this process ---------------------------------------------


def orm_floor_p95(runs=60):
    floor = Floor(Locale.objects.get(language_code=LOCALE))
    times = []
    for i in range(runs):
        started = time.perf_counter()
        floor.service_list(MUNICIPALITIES[i % len(MUNICIPALITIES)])
        times.append((time.perf_counter() - started) * 1000)
    return percentile(times, 50), percentile(times, 95)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def captured_search_bodies(requests):
    """The Elasticsearch requests the siteSearch requests make, captured in this process."""
    calls = []

    class Recorder:
        def __init__(self, real):
            self.real = real

        def options(self, **kwargs):
            return Recorder(self.real.options(**kwargs))

        def search(self, **request):
            calls.append(request)
            return self.real.search(**request)

        def __getattr__(self, name):
            return getattr(self.real, name)

    make_client = index.client
    index.client = lambda: Recorder(make_client())
    try:
        client = Client(HTTP_HOST="localhost")
        for _, body in requests:
            client.post("/graphql/", body, content_type="application/json")
    finally:
        index.client = make_client
    return [
        ("POST", f"/{call['index']}/_search", "application/json",
         json.dumps({key: value for key, value in call.items() if key != "index"}))
        for call in calls
    ]  # fmt: skip


# --- Report ----------------------------------------------------------------------


def row(name, result):
    rate = result["requests"] / result["seconds"]
    errors = result["non200"] + result["graphql_errors"] + result["socket_errors"]
    print(
        f"{name:<34} {rate:>8.1f} {result['p50']:>8.1f} {result['p95']:>8.1f} "
        f"{result['p99']:>8.1f} {errors:>7}"
    )
    return rate


def memory_line(name, before, after, requests):
    growth = sum(after) - sum(before)
    per_thousand = growth / max(1, requests) * 1000
    print(
        f"  memory {name}: workers {', '.join(f'{mb:.0f}' for mb in after)} MB; "
        f"growth {growth:+.1f} MB over {requests} requests ({per_thousand:+.2f} MB / 1,000)"
    )


def ensure_index():
    index.ensure_index()
    if not index.client().count(index=index.alias())["count"]:
        print("The delivery index is empty: search_rebuild …", flush=True)
        call_command("search_rebuild")


def main():
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk (Debian).")
    if not settings.ELASTICSEARCH_URL or connection.vendor != "postgresql":
        print("Note: not on PostgreSQL + Elasticsearch; the targets are set for those.\n")
    benchlib.ensure_demo_content()
    if settings.ELASTICSEARCH_URL:
        ensure_index()
    requests = workload()
    services = [r for r in requests if r[0] == "ServiceList"]
    searches = [r for r in requests if r[0] == "SiteSearch"]
    services_count = ServicePage.objects.live().filter(locale__language_code=LOCALE).count()
    print(
        f"{services_count} live services ({LOCALE}), {connection.vendor}, "
        f"{'Elasticsearch' if settings.ELASTICSEARCH_URL else 'database search'}, "
        f"cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; "
        f"gunicorn {ARGS.workers} workers × {ARGS.threads} threads; wrk {ARGS.connections} "
        f"connections × {ARGS.duration} s; mix of {len(requests)} requests\n"
    )
    print(f"{'run':<34} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    health = [("GET", "/health/live", "text/plain", "")]

    warm_server = Server(RESPONSE_CACHE_SECONDS="300")
    try:
        floor = wrk(warm_server.url, health, ARGS.connections, ARGS.duration)
        row("/health/live (framework floor)", floor)
        warm_server.prime(requests)
        before = warm_server.worker_rss_mb()
        warm = wrk(warm_server.url, graphql_bodies(requests), ARGS.connections, ARGS.duration)
        warm_rate = row("warm: mix, cache hits", warm)
        after = warm_server.worker_rss_mb()
    finally:
        warm_server.stop()

    cold_server = Server(RESPONSE_CACHE_SECONDS="0")
    try:
        cold_server.prime(requests)
        cold_before = cold_server.worker_rss_mb()
        cold = wrk(cold_server.url, graphql_bodies(requests), ARGS.connections, ARGS.duration)
        row("cold: mix, cache off", cold)
        cold_after = cold_server.worker_rss_mb()
        single = max(5, ARGS.duration // 2)
        live_one = wrk(cold_server.url, health, 1, single)
        row("cold, 1 at a time: /health/live", live_one)
        services_one = wrk(cold_server.url, graphql_bodies(services), 1, single)
        row("cold, 1 at a time: services", services_one)
        search_one = wrk(cold_server.url, graphql_bodies(searches), 1, single)
        row("cold, 1 at a time: siteSearch", search_one)
    finally:
        cold_server.stop()

    raw = None
    if settings.ELASTICSEARCH_URL:
        raw = wrk(settings.ELASTICSEARCH_URL, captured_search_bodies(searches), 1, single)
        row("raw Elasticsearch, siteSearch bodies", raw)
    orm_p50, orm_p95 = orm_floor_p95()
    print(f"{'ORM floor, service lists (in-process)':<34} {'':>8} {orm_p50:>8.1f} {orm_p95:>8.1f}")

    print()
    memory_line("warm", before, after, warm["requests"])
    memory_line("cold", cold_before, cold_after, cold["requests"])
    print()
    warm_errors = warm["non200"] + warm["graphql_errors"] + warm["socket_errors"]
    print("Targets:")
    print(
        f"  warm: {warm_rate:.0f} req/s (target ≥ 300), p95 {warm['p95']:.0f} ms "
        f"(target ≤ 150), {warm_errors} errors (target 0)"
    )
    print(
        f"  cold services p95 / ORM floor p95: {benchlib.ratio(services_one['p95'], orm_p95)} "
        "(target ≤ 1.5×)"
    )
    if raw:
        print(
            f"  cold siteSearch p95 / raw Elasticsearch p95: "
            f"{benchlib.ratio(search_one['p95'], raw['p95'])} (target ≤ 2×)"
        )
    print(
        f"  framework floor (/health/live, 1 at a time) p95 {live_one['p95']:.1f} ms: services "
        f"{benchlib.ratio(services_one['p95'], live_one['p95'])}, siteSearch "
        f"{benchlib.ratio(search_one['p95'], live_one['p95'])} of it"
    )


if __name__ == "__main__":
    main()

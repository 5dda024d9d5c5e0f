"""End-to-end pipeline benchmark: where time and memory go, and Prefect's share.

Serves N story pages (built from the fixture pages with varied text) and a
feed listing them from a local HTTP server, stores into a local S3 server
(SeaweedFS by default; moto, the mock, with ``--store moto``; each in turn,
side by side, with ``--store both``), and measures for the same N stories:

  1. bare        the plain step functions in a loop, no Prefect;
  2. concurrent  the same with a thread pool of NEWSROOM_PUBLISH_CONCURRENCY;
  3. prefect     the poll-feeds flow through Prefect's local API.

Each phase publishes into a fresh bucket, so every story is new. Run by hand:

    python bench/pipeline.py [--stories 200] [--concurrency 4] [--store seaweedfs|moto|both]

The last line is: pipeline: N stories  bare X/s  concurrent Y/s  prefect Z/s  overhead R×  peak RSS M MB
(with ``--store both``, one such line per store, each ending with its name).
"""

from __future__ import annotations

import argparse
import contextlib
import http.server
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.project_venv import use_project_venv  # noqa: E402

use_project_venv()

from cli.local_services import FIXTURES, LocalS3, free_port, local_s3, stop_process, wait_for_http  # noqa: E402

WORDS = ("river council harbour library archive flood bridge market school station budget museum "
         "hospital election festival railway garden theatre stadium airport").split()


def _templates() -> list[str]:
    pages = sorted((FIXTURES / "news").glob("*.html")) + [FIXTURES / "pages" / "aleppo-offensive.html"]
    return [p.read_text("utf-8") for p in pages]


def make_page(templates: list[str], index: int) -> bytes:
    """A distinct story: its own canonical URL, headline and varied paragraph text."""
    html = templates[index % len(templates)]
    word = WORDS[index % len(WORDS)]
    html = re.sub(r'<link rel="canonical" href="[^"]*">', f'<link rel="canonical" href="/story/{index}.html">', html)
    html = html.replace("<h1", f"<h1 data-i='{index}'", 1)
    html = re.sub(r"(<h1[^>]*>)([^<]*)", lambda m: f"{m.group(1)}{m.group(2)} ({word} {index})", html, count=1)
    html = re.sub(r'(<meta property="og:title" content=")([^"]*)', lambda m: f"{m.group(1)}{m.group(2)} ({word} {index})",
                  html, count=1)
    # Vary every paragraph so no two stories share a body.
    html = re.sub(r"<p>([^<]{40,}?)\.", lambda m: f"<p>{m.group(1)}, the {word} desk noted in report {index}.", html)
    html = html.replace('src="/media/2016/09/aleppo-military-complex.png"', 'src="/media/lead.png"')
    html = re.sub(r'src="/media/[a-z-]+\.png"', 'src="/media/lead.png"', html)
    return html.encode("utf-8")


def serve_site(count: int, port: int) -> None:
    """Serve the N stories, their lead image and a feed listing them (runs in a child process)."""
    templates = _templates()
    pages = {f"/story/{i}.html": make_page(templates, i) for i in range(count)}
    image = (FIXTURES / "media" / "2016" / "09" / "aleppo-military-complex.png").read_bytes()
    base = f"http://127.0.0.1:{port}"
    items = "".join(f"<item><title>Story {i}</title><link>{base}/story/{i}.html</link>"
                    f"<guid>story-{i}</guid></item>" for i in range(count))
    feed = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title>'
            f"<link>{base}/</link>{items}</channel></rss>").encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802
            path = self.path.split("?")[0]
            status, kind = 200, "text/html; charset=utf-8"
            if path in pages:
                body = pages[path]
            elif path == "/media/lead.png":
                body, kind = image, "image/png"
            elif path == "/feed.rss":
                body, kind = feed, "application/rss+xml"
            else:
                status, body, kind = 404, b"not found", "text/plain"
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


@contextlib.contextmanager
def story_site(count: int) -> Iterator[str]:
    """The story site in its own process, as a real site is: serving it from a
    thread of this one would take the interpreter lock from the pipeline."""
    port = free_port()
    process = subprocess.Popen([sys.executable, __file__, "--serve-site", str(count), "--port", str(port)])
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{base}/feed.rss", timeout=60, process=process)
        yield base
    finally:
        stop_process(process, timeout=10)


def _children() -> Iterator[tuple[str, Path, dict[str, str]]]:
    """(name, /proc folder, status fields) of each child process: the local S3
    server, the story site, Prefect's local API. Nothing where there is no /proc."""
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
            if int(fields.get("PPid", "0")) != os.getpid():
                continue
            command = (status.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except (OSError, ValueError):
            continue
        name = ("S3 server" if "atomic_moto" in command or " mini " in command else "story site" if "--serve-site" in command
                else "Prefect API" if "uvicorn" in command or "--lifespan" in command else command[-40:])
        yield name, status.parent, fields


def child_peaks_mb() -> dict[str, float]:
    return {name: int(fields["VmHWM"].split()[0]) / 1024 for name, _dir, fields in _children() if "VmHWM" in fields}


def cpu_seconds() -> dict[str, float]:
    """CPU time used so far by this process and by each child process."""
    ticks = os.sysconf("SC_CLK_TCK")
    used = {"pipeline": sum(os.times()[:2])}
    for name, folder, _fields in _children():
        try:
            stat = (folder / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        used[name] = (int(stat[11]) + int(stat[12])) / ticks  # utime, stime
    return used


def cpu_line(before: dict[str, float], after: dict[str, float]) -> str:
    return "  CPU during the phase: " + "  ".join(
        f"{name} {after[name] - before.get(name, 0.0):.1f} s" for name in sorted(after, key=lambda n: n != "pipeline"))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fresh_storage(store: LocalS3, name: str):
    """A new bucket for each phase; returns the phase's resources. moto is
    emptied too: it keeps objects in memory, and a fuller heap is slower."""
    import requests

    from config.settings import Settings
    from tasks.resources import Resources

    if store.kind == "moto":
        requests.post(f"{store.endpoint}/moto-api/reset", timeout=30).raise_for_status()
    resources = Resources.build(Settings(s3_bucket=name))
    resources.ensure_bucket()
    return resources


def publish_one(url: str, steps, timings: dict[str, list[float]], lock: threading.Lock) -> float:  # noqa: ANN001
    """The story pipeline with plain steps for one story; returns its latency."""
    from tasks.pipeline import run_story

    started = time.perf_counter()
    marks: list[tuple[str, float]] = []
    run_story(url, steps, on_step=lambda step, seconds: marks.append((step, seconds)))
    with lock:
        for step, seconds in marks:
            timings[step].append(seconds)
    return time.perf_counter() - started


def run_plain(urls: list[str], workers: int, resources,  # noqa: ANN001
              isolated: bool = True) -> tuple[float, list[float], dict[str, list[float]]]:
    from tasks.pipeline import plain_steps

    steps = plain_steps(resources, isolated=isolated)
    timings: dict[str, list[float]] = defaultdict(list)
    lock = threading.Lock()
    started = time.perf_counter()
    if workers <= 1:
        latencies = [publish_one(u, steps, timings, lock) for u in urls]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            latencies = list(pool.map(lambda u: publish_one(u, steps, timings, lock), urls))
    return time.perf_counter() - started, latencies, timings


def run_prefect(site: str, tmp: Path, expected: int, resources) -> tuple[float, list[float], str, tuple]:  # noqa: ANN001
    from prefect.client.orchestration import get_client

    from flows.poll_feeds import poll_feeds

    # The local API is a long-running service in production: start it (and
    # import the flow machinery) before the clock starts, with an empty poll.
    empty = tmp / "no-sources.yaml"
    empty.write_text("sources: []\n")
    poll_feeds(sources_file=str(empty), settings=resources.settings, return_state=True)

    sources = tmp / "bench-sources.yaml"
    sources.write_text(f"sources:\n  - name: bench\n    url: {site}/feed.rss\n    limit: 1000\n")
    before = cpu_seconds()
    started = time.perf_counter()
    state = poll_feeds(sources_file=str(sources), settings=resources.settings, return_state=True)
    elapsed = time.perf_counter() - started
    cpu = (before, cpu_seconds())  # the poll alone, not the warm-up
    # Per-story latency (first attempt to outcome) is in the poll's report.
    with get_client(sync_client=True) as client:
        from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, ArtifactFilterKey

        (report,) = client.read_artifacts(artifact_filter=ArtifactFilter(
            key=ArtifactFilterKey(any_=["poll-feeds-report"]),
            flow_run_id=ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id])))
    rows = json.loads(report.data) if isinstance(report.data, str) else report.data
    latencies = [float(r["seconds"]) for r in rows if r["status"] == "published"]
    if len(latencies) != expected:
        print(f"warning: {len(latencies)} of {expected} stories published", flush=True)
    return elapsed, latencies, f"{state.type.value}: {state.message}", cpu


def summary(name: str, count: int, elapsed: float, latencies: list[float]) -> str:
    rate = count / elapsed if elapsed else 0.0
    ordered = sorted(latencies) or [0.0]
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return (f"{name:<11} {rate:7.1f} stories/s  total {elapsed:6.1f} s  median {statistics.median(ordered) * 1000:6.0f} ms"
            f"  p95 {p95 * 1000:6.0f} ms  peak RSS {peak_rss_mb():6.0f} MB")


def run_phases(store: LocalS3, site: str, args: argparse.Namespace) -> dict:
    """The three phases against one store; prints as it goes, returns the figures."""
    import tempfile

    from config.settings import Settings

    os.environ.update(store.credentials)
    os.environ.update({"NEWSROOM_S3_ENDPOINT_URL": store.endpoint, "NEWSROOM_S3_ADDRESSING_STYLE": "path",
                       "NEWSROOM_S3_CREATE_BUCKET": "true", "NEWSROOM_FETCH_ALLOWED_HOSTS": "127.0.0.1",
                       # the poll's sources files are written to a temporary folder
                       "NEWSROOM_SOURCES_DIR": tempfile.gettempdir()})
    urls = [f"{site}/story/{i}.html" for i in range(args.stories)]
    workers = Settings().publish_concurrency
    print(f"{args.stories} stories, concurrency {workers}, S3 {store.kind} {store.endpoint}, site {site}", flush=True)
    figures: dict = {"store": store.kind, "rates": {}, "s3_cpu": {}}

    def note(phase: str, elapsed: float, before: dict[str, float], after: dict[str, float] | None = None) -> None:
        after = after or cpu_seconds()
        figures["rates"][phase] = args.stories / elapsed
        figures["s3_cpu"][phase] = after.get("S3 server", 0.0) - before.get("S3 server", 0.0)
        print(cpu_line(before, after), flush=True)

    resources = fresh_storage(store, f"bench-bare-{uuid.uuid4().hex[:8]}")
    before = cpu_seconds()
    bare, bare_lat, steps = run_plain(urls, 1, resources)
    print(summary("bare", args.stories, bare, bare_lat), flush=True)
    note("bare", bare, before)
    total = sum(sum(v) for v in steps.values()) or 1
    print("  where the time goes (bare): " + "  ".join(
        f"{step} {sum(v) / total:4.0%} ({sum(v) / len(urls) * 1000:.1f} ms/story)"
        for step, v in sorted(steps.items(), key=lambda kv: -sum(kv[1]))), flush=True)

    # The same stories with clean and dedupe in this process: what running
    # them in a child under hard limits (tasks/isolation.py) costs per story.
    resources = fresh_storage(store, f"bench-inproc-{uuid.uuid4().hex[:8]}")
    inproc, _lat, inproc_steps = run_plain(urls, 1, resources, isolated=False)
    isolated_ms = sum(sum(steps.get(s, ())) for s in ("clean", "dedupe")) / len(urls) * 1000
    inproc_ms = sum(sum(inproc_steps.get(s, ())) for s in ("clean", "dedupe")) / len(urls) * 1000
    print(f"  clean + dedupe per story: {isolated_ms:.1f} ms in a child process under limits,"
          f" {inproc_ms:.1f} ms in-process ({isolated_ms - inproc_ms:+.1f} ms, {isolated_ms / inproc_ms:.2f}×);"
          f" whole story {bare / len(urls) * 1000:.1f} vs {inproc / len(urls) * 1000:.1f} ms", flush=True)
    figures["isolation_ratio"] = isolated_ms / inproc_ms

    resources = fresh_storage(store, f"bench-conc-{uuid.uuid4().hex[:8]}")
    before = cpu_seconds()
    conc, conc_lat, _ = run_plain(urls, workers, resources)
    print(summary("concurrent", args.stories, conc, conc_lat), flush=True)
    note("concurrent", conc, before)

    figures["rates"]["prefect"], figures["overhead"] = 0.0, float("nan")
    if not args.skip_prefect:
        import tempfile

        resources = fresh_storage(store, f"bench-prefect-{uuid.uuid4().hex[:8]}")
        with tempfile.TemporaryDirectory() as tmp:
            elapsed, lat, final, (before, after) = run_prefect(site, Path(tmp), args.stories, resources)
        print(summary("prefect", args.stories, elapsed, lat) + f"  [{final}]", flush=True)
        note("prefect", elapsed, before, after)
        figures["overhead"] = elapsed / conc
    children = child_peaks_mb()  # while they run: the local API stops with this process
    if children:
        print("  peak RSS of the other processes: " + "  ".join(f"{k} {v:.0f} MB" for k, v in sorted(children.items())),
              flush=True)
    return figures


def side_by_side(results: list[dict]) -> str:
    phases = ("bare", "concurrent", "prefect")
    lines = ["", f"{'stories/s (S3 server CPU)':<28}" + "".join(f"{p:>22}" for p in phases)]
    for figures in results:
        cells = "".join(f"{figures['rates'].get(p, 0.0):13.1f} ({figures['s3_cpu'].get(p, 0.0):5.1f} s)"
                        for p in phases)
        lines.append(f"  {figures['store']:<26}{cells}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=None, help="default: NEWSROOM_PUBLISH_CONCURRENCY")
    parser.add_argument("--store", choices=("seaweedfs", "moto", "both"), default="seaweedfs",
                        help="the local S3 server: SeaweedFS (real), moto (the mock) or each in turn")
    parser.add_argument("--skip-prefect", action="store_true")
    parser.add_argument("--serve-site", type=int, metavar="N", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_site is not None:
        serve_site(args.serve_site, args.port)
        return 0

    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    if args.concurrency:
        os.environ["NEWSROOM_PUBLISH_CONCURRENCY"] = str(args.concurrency)
    kinds = ("seaweedfs", "moto") if args.store == "both" else (args.store,)
    results = []
    with story_site(args.stories) as site:
        for kind in kinds:
            with local_s3(kind) as store:
                results.append(run_phases(store, site, args))
    if len(results) > 1:
        print(side_by_side(results), flush=True)
    for figures in results:
        rates = figures["rates"]
        suffix = f"  [{figures['store']}]" if len(results) > 1 else ""
        print(f"pipeline: {args.stories} stories  bare {rates['bare']:.1f}/s  concurrent {rates['concurrent']:.1f}/s"
              f"  prefect {rates['prefect']:.1f}/s  overhead {figures['overhead']:.2f}×"
              f"  peak RSS {peak_rss_mb():.0f} MB{suffix}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

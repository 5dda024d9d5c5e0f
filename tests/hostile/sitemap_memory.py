"""Peak memory of reading the sitemaps a hostile site can serve.

    python -m tests.hostile.sitemap_memory

Builds a gzipped sitemap of 900,000 URLs and an index naming five such
children, serves them on 127.0.0.1, and reads each the way a poll does
(``discover``), each in a fresh process; prints one JSON line per case with
what was read and the process's peak RSS. tests/hostile/test_sitemaps.py
runs it.
"""

from __future__ import annotations

import gzip
import io
import json
import tempfile
from pathlib import Path
import resource
import subprocess
import sys

CHILDREN = 5
URLS = 900_000
LIMIT = 50


def huge_sitemap(count: int = URLS) -> bytes:
    """A gzipped urlset of ``count`` URLs, written in pieces so that making it costs little memory."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6) as packed:
        packed.write(b'<?xml version="1.0" encoding="UTF-8"?>\n'
                     b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n')
        for start in range(0, count, 10_000):
            packed.write(b"".join(b"<url><loc>https://news.example/2026/story-%07d.html</loc>"
                                  b"<lastmod>2026-01-01</lastmod></url>\n" % i
                                  for i in range(start, min(count, start + 10_000))))
        packed.write(b"</urlset>\n")
    return out.getvalue()


def index_of(children: list[str]) -> bytes:
    return ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(f"<sitemap><loc>{c}</loc></sitemap>" for c in children) + "</sitemapindex>").encode()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure(case: str, path: Path) -> dict:
    """Read one case as a poll does; what was read, and the peak RSS."""
    from config.settings import Settings
    from config.sources import Source
    from tasks.feeds import discover
    from tasks.fetch import fetch_resource
    from tasks.sitemaps import parse_sitemap
    from tests.httpstub import Reply, http_stub

    data = path.read_bytes()
    settings = Settings(fetch_allowed_hosts=["127.0.0.1"], fetch_retries=0)
    xml = {"Content-Type": "application/xml"}
    with http_stub() as stub:
        children = [stub.route(f"/sitemap-{i}.xml.gz", Reply(body=data, headers=xml)) for i in range(CHILDREN)]
        index = stub.route("/sitemap.xml", Reply(body=index_of(children), headers=xml))
        del data
        baseline = peak_mb()
        if case == "sitemap":
            final, body, _type = fetch_resource(children[0], settings)
            sitemap = parse_sitemap(body, final, "huge", limit=LIMIT)
            links, entries, cut = sitemap.links, sitemap.entries, sitemap.cut
        else:
            links = discover(Source(name="huge", url=index, kind="sitemap", limit=LIMIT), settings)
            entries = cut = None
        fetched = sum(stub.hits.get(f"/sitemap-{i}.xml.gz", 0) for i in range(CHILDREN))
    return {"case": case, "links": len(links), "entries": entries, "cut": cut, "children_fetched": fetched,
            "peak_rss_mb": round(peak_mb()), "rss_before_mb": round(baseline)}


def main() -> int:
    if len(sys.argv) > 2:
        print(json.dumps(measure(sys.argv[1], Path(sys.argv[2]))))
        return 0
    for line in run_cases():
        print(json.dumps(line))
    return 0


def run_cases() -> list[dict]:
    """Each case in a fresh process, so each peak is its own."""
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sitemap.xml.gz"
        path.write_bytes(huge_sitemap())
        for case in ("sitemap", "index"):
            run = subprocess.run([sys.executable, "-m", "tests.hostile.sitemap_memory", case, str(path)],
                                 capture_output=True, text=True, timeout=600)
            if run.returncode != 0:
                raise RuntimeError(run.stderr[-2000:])
            results.append({**json.loads(run.stdout), "gzip_bytes": path.stat().st_size})
    return results


if __name__ == "__main__":
    raise SystemExit(main())

"""``newsroom``: extract, bundle, publish, kill, repair and demo from the command line.

Bad input exits with status 2 and one line on stderr naming what was wrong;
``--debug`` shows the traceback as well.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tasks.resources import Resources

EXIT_BAD_INPUT = 2


def _resources() -> Resources:
    """This command's settings (from the environment) and storage, built once."""
    from tasks.resources import Resources

    return Resources.build()


def _steps(resources: Resources, isolated: bool = True):
    """The story pipeline's plain steps, with this run's resources."""
    from tasks.pipeline import plain_steps

    return plain_steps(resources, isolated=isolated)


def cmd_extract(args: argparse.Namespace) -> int:
    from tasks.pipeline import read_story

    if args.explain:
        return _explain(args)
    _page, deduped = read_story(args.source, _steps(_resources()), url=args.url)
    print(json.dumps(deduped.article.as_public_dict(), ensure_ascii=False, indent=2))
    if deduped.article.uncertain:
        # Beside the article, not in it: stdout stays the article alone.
        print(f"uncertain: {', '.join(deduped.article.uncertain)} (newsroom extract --explain says why)",
              file=sys.stderr)
    return 0


def _explain(args: argparse.Namespace) -> int:
    """Each field's winning candidate, its source and the candidates it beat."""
    from tasks.clean.explain import format_choices, recording
    from tasks.errors import ExtractionError
    from tasks.pipeline import read_story

    resources = _resources()
    with recording() as choices:
        try:
            read_story(args.source, _steps(resources, isolated=False), url=args.url)
        except ExtractionError as exc:
            from tasks.clean.fields import page_fields
            from tasks.fetch import fetch_page

            choices.clear()
            page = fetch_page(args.source, args.url, settings=resources.settings)
            page_fields(page.text, page.final_url, resources.settings.parse_max_chars)
            print(f"no article: {exc}")
    print(format_choices(choices))
    return 0


def cmd_bundle(args: argparse.Namespace) -> int:
    from tasks.pipeline import draft_story
    from tasks.render import render_bundle

    draft = draft_story(args.source, _steps(_resources()), url=args.url, extra_tags=tuple(args.tag), with_image=not args.no_image)
    bundle = render_bundle(draft)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for file in bundle.files:
        (out / file.name).write_bytes(file.data)
    print(json.dumps({"story_id": bundle.story_id, "out": str(out), "files": [f.name for f in bundle.files],
                      "notes": list(draft.notes)}, indent=2))
    return 0


def _quiet_prefect_console() -> None:
    """Prefect's own console lines (a run's progress, a failure's traceback)
    stay in the run's logs, on the API and in the UI; the terminal gets the
    one-line result or error. ``--debug`` shows them."""
    import logging

    for name in ("prefect", ""):
        for handler in logging.getLogger(name).handlers:
            if type(handler).__name__ == "PrefectConsoleHandler":
                handler.setLevel(logging.CRITICAL + 1)


def cmd_publish(args: argparse.Namespace) -> int:
    from flows.publish_story import publish_story
    from tasks.fetch import is_url

    if not args.debug:
        _quiet_prefect_console()

    if "://" in args.source and not is_url(args.source):
        from tasks.netguard import check_url

        check_url(args.source)  # the one-line "scheme is not http or https" error
    embargo = None
    if args.embargo:
        from tasks.embargo import parse_embargo_time

        embargo = parse_embargo_time(args.embargo)  # one line for a time without a zone, before any work
    if is_url(args.source):
        result = publish_story(url=args.source, extra_tags=args.tag, force=args.force, note=args.note,
                               embargo_until=embargo)
    else:
        if not args.url:
            raise _usage_error("--url is required when SOURCE is a file (the story's public address)")
        result = publish_story(url=args.url, extra_tags=args.tag, force=args.force, note=args.note,
                               embargo_until=embargo, source_file=args.source)
    print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    return 0


def cmd_kill(args: argparse.Namespace) -> int:
    from flows.kill_story import kill_story

    if not args.debug:
        _quiet_prefect_console()
    result = kill_story(url=args.story, note=args.note, requested_by=args.requested_by or _who())
    print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    return 0


def _who() -> str:
    """The person at the terminal, for the kill's audit record."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name for this uid (a container)
        return ""


def cmd_demo(args: argparse.Namespace) -> int:
    from cli.demo import run_demo

    return run_demo(Path(args.out), keep=args.keep)


def cmd_check_storage(args: argparse.Namespace) -> int:
    from tasks.storage import ensure_bucket
    from tasks.storage_check import check_storage

    resources = _resources()
    ensure_bucket(resources.settings, resources.store.client)  # a missing bucket is one line, as for publish
    report = check_storage(resources.settings, resources.store.client)
    print(report.table())
    failure = report.first_failure
    if failure is not None:
        print(f"newsroom: error: storage check failed: {failure.name}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0


def cmd_repair(args: argparse.Namespace) -> int:
    from tasks.repair import repair_story, story_to_repair

    resources = _resources()
    prefix = resources.settings.s3_prefix
    result = repair_story(resources.store, prefix, story_to_repair(resources.store, prefix, args.story))
    print(result.summary())
    return 0


class _UsageError(Exception):
    pass


def _usage_error(message: str) -> _UsageError:
    return _UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsroom", description=__doc__.splitlines()[0])
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", required=True)

    extract = sub.add_parser("extract", help="print the article of a page as JSON")
    extract.add_argument("source", help="file path or http(s) URL")
    extract.add_argument("--url", help="the page's public address when SOURCE is a file")
    extract.add_argument("--explain", action="store_true",
                         help="print why each field has its value: the winner, its source, what it beat")
    extract.set_defaults(func=cmd_extract)

    bundle = sub.add_parser("bundle", help="write a story's bundle to a folder, without publishing")
    bundle.add_argument("source")
    bundle.add_argument("--url")
    bundle.add_argument("--out", required=True, help="folder to write the bundle into")
    bundle.add_argument("--tag", action="append", default=[], help="extra tag (repeatable)")
    bundle.add_argument("--no-image", action="store_true", help="do not fetch the lead image")
    bundle.set_defaults(func=cmd_bundle)

    publish = sub.add_parser("publish", help="run the publish-story flow and print its result")
    publish.add_argument("source")
    publish.add_argument("--url")
    publish.add_argument("--tag", action="append", default=[], help="extra tag (repeatable)")
    publish.add_argument("--force", action="store_true", help="publish even if unchanged")
    publish.add_argument("--note", help="why this version (correction log)")
    publish.add_argument("--embargo", metavar="TIME", help="hold the story until TIME (ISO 8601 with a zone, e.g."
                         " 2026-12-24T18:00+01:00): its release is a run of release-story scheduled on the Prefect"
                         " API (PREFECT_API_URL) for then")
    publish.set_defaults(func=cmd_publish)

    kill = sub.add_parser("kill", help="withdraw a story: a tombstone version, its earlier versions out of"
                          " public view, out of the feeds (runs kill-story)")
    kill.add_argument("story", help="the story's canonical URL, a URL it was fetched from, or its id")
    kill.add_argument("--note", required=True, help="why (shown on the tombstone page, kept in the audit record)")
    kill.add_argument("--requested-by", help="who ordered the kill (default: the user running this)")
    kill.set_defaults(func=cmd_kill)

    check = sub.add_parser("check-storage", help="probe the configured S3 endpoint and bucket for what"
                           " publishing relies on (conditional writes, checksums, metadata); exit 2 on a failure")
    check.set_defaults(func=cmd_check_storage)

    repair = sub.add_parser("repair", help="check a story's latest.json and, when it is corrupt, missing or"
                            " points at an incomplete version, rebuild it from the newest complete version")
    repair.add_argument("story", help="the story's id, canonical URL or a URL it was fetched from")
    repair.set_defaults(func=cmd_repair)

    demo = sub.add_parser("demo", help="publish the seed story to a local S3 endpoint and show the bundle")
    demo.add_argument("--out", default="demo-output", help="where to save a copy of the published bundle")
    demo.add_argument("--keep", action="store_true",
                      help="leave the local S3 server running, and print how to list its objects and stop it")
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the one place errors become exit codes
        if args.debug:
            raise
        print(f"newsroom: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT if _is_input_error(exc) else 1


def _is_input_error(exc: Exception) -> bool:
    from lxml import etree
    from prefect.exceptions import ParameterTypeError
    from pydantic import ValidationError

    from tasks.errors import PipelineError

    # lxml, recursion and memory failures come from what a page holds (depth,
    # size, markup), so they are reported like any other bad input.
    return isinstance(exc, (PipelineError, _UsageError, ValidationError, ValueError, ParameterTypeError,
                            etree.LxmlError, RecursionError, MemoryError))


def _one_line(exc: Exception) -> str:
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'input'}: {e['msg']}"
                             for e in exc.errors()[:3])
        return f"invalid parameters: {problems}"
    from tasks.errors import PipelineError
    from tasks.netguard import redact

    if isinstance(exc, RecursionError):
        return "the page is nested too deeply to process (RecursionError)"
    if isinstance(exc, MemoryError):
        return "the page is too large to process in memory (MemoryError)"
    text = " ".join(str(exc).split()) or type(exc).__name__
    if not isinstance(exc, (PipelineError, _UsageError)):
        text = f"{type(exc).__name__}: {text}"
    return redact(text)[:500]


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())

"""The command line: the same services as the window, no display needed.

    send-desktop [DB]                          start the window
    send-desktop init DB [--demo]
    send-desktop check DB [--json] | check --self-test
    send-desktop export DB OUT.xlsx [--kind plan|audits|framework|audit-report|risks|kpis|actions]
    send-desktop import DB IN.xlsx [--kind plan|audits|framework|caseload|risks|kpis|actions] [--dry-run] [--json]
                               [--strategy theirs|mine|fail] [--decisions FILE.json] [--delete-missing]
                               [--mapping FILE.json] [--scale pap3|ip5|soa3|brag5|detected]
                               [--accept-matches all|none|FILE.json]
    send-desktop imports DB [--json]               the imports on record, newest first
    send-desktop undo-import DB ID                 undo one whole import
    send-desktop dump DB --kind plan|risks|kpis|meetings|actions
    send-desktop audit-score FRAMEWORK.json AUDIT.json
    send-desktop audit-report DB [--from DATE] [--to DATE] [--json]
    send-desktop pack DB OUT.pdf --meeting YYYY-MM-DD [--issue]

Exit codes: 0 success; 1 an unexpected fault (details in the log file); 2 bad input, with one
line on stderr naming the file and what is wrong.
"""

from __future__ import annotations

import inspect
import json
import logging
import sys
from pathlib import Path

from send_desktop import __version__
from send_desktop.errors import BadInputError, UserError

COMMANDS = ("init", "check", "export", "import", "imports", "undo-import", "dump", "audit-score", "audit-report",
            "pack")
log = logging.getLogger("send_desktop.cli")


def build_parser():
    import argparse  # not at module level: the window starts without it

    class _Parser(argparse.ArgumentParser):
        def error(self, message):  # one line, like every other bad-input message (exit code 2)
            raise SystemExit(f"send-desktop: {message} (see send-desktop {self.prog.split()[-1]} --help)") from None

    p = _Parser(prog="send-desktop", description="Offline tool for SEND improvement boards.")
    p.add_argument("--version", action="version", version=f"send-desktop {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("init", help="create a new database at the latest schema")
    s.add_argument("db")
    s.add_argument("--demo", action="store_true", help="fill it with the fictional demo partnership")
    s.add_argument("--title", default="Priority Action Plan")
    s.add_argument("--scale", default="pap3", help="rating scale preset: pap3, ip5, soa3, brag5")

    s = sub.add_parser("check", help="schema version, integrity and counts")
    s.add_argument("db", nargs="?")
    s.add_argument("--json", action="store_true")
    s.add_argument("--self-test", action="store_true",
                   help="make a database in a temporary folder, migrate, write, read and draw a window")

    from send_desktop.exchange import DUMPERS, EXPORTERS, IMPORTERS

    s = sub.add_parser("export", help="write a workbook")
    s.add_argument("db")
    s.add_argument("out")
    s.add_argument("--kind", choices=tuple(EXPORTERS), default="plan")

    s = sub.add_parser("import", help="read a workbook back")
    s.add_argument("db")
    s.add_argument("infile")
    s.add_argument("--kind", choices=tuple(IMPORTERS), default=None,
                   help="the kind of workbook; left out, it is told from the file")
    s.add_argument("--dry-run", action="store_true", help="report what would change, change nothing")
    s.add_argument("--json", action="store_true")
    s.add_argument("--strategy", choices=("theirs", "mine", "fail"), default=None,
                   help="a field changed both in the workbook and in the database since the export: take the "
                        "workbook's (theirs), keep the database's (mine), or refuse the import (fail, the default; "
                        "audits keep the database's copy and list it)")
    s.add_argument("--decisions", metavar="FILE.json",
                   help='each conflict decided on its own: a list of {"entity", "uid", "field", "choice": '
                        '"mine"|"theirs"|"edit", "value"} as --dry-run --json prints them in "conflict_details"; '
                        "conflicts not listed are left to --strategy")
    s.add_argument("--delete-missing", action="store_true",
                   help="delete the records whose rows were deleted from the workbook (else they are listed)")
    s.add_argument("--mapping", metavar="FILE.json", help='a saved column mapping: {"column header": "field"}')
    s.add_argument("--scale", metavar="SCALE",
                   help="an officer's own plan workbook that starts the plan: its rating scale, pap3, ip5 "
                        "(improvement5), soa3, brag5, or detected (the default)")
    s.add_argument("--accept-matches", metavar="all|none|FILE.json",
                   help="an officer's own plan workbook: accept every doubtful match of a row to an action by "
                        "wording (all), none (the default: only sure matches), or those a JSON file accepts "
                        '({"sheet!row": true or false}, or the dry run\'s "matches" list with "accept" on each)')

    s = sub.add_parser("imports", help="list the imports on record, newest first")
    s.add_argument("db")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("undo-import", help="undo one whole import (see `imports` for its id)")
    s.add_argument("db")
    s.add_argument("id", type=int)

    s = sub.add_parser("dump", help="print the records as JSON")
    s.add_argument("db")
    s.add_argument("--kind", choices=tuple(DUMPERS), required=True)

    s = sub.add_parser("audit-score", help="grade one audit against a framework and print the result as JSON")
    s.add_argument("framework", help="FRAMEWORK.json (docs/audit-formats.md)")
    s.add_argument("audit", help="AUDIT.json: ratings, no_needs, critical_concern")

    s = sub.add_parser("audit-report", help="the EHCP audit report: % good or better, grades, sections, cuts, trend")
    s.add_argument("db")
    s.add_argument("--from", dest="date_from", type=_iso_date, help="first audit date, YYYY-MM-DD")
    s.add_argument("--to", dest="date_to", type=_iso_date, help="last audit date, YYYY-MM-DD")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("pack", help="the meeting pack as one PDF")
    s.add_argument("db")
    s.add_argument("out", help="OUT.pdf")
    s.add_argument("--meeting", type=_iso_date, required=True, help="the meeting's date, YYYY-MM-DD")
    s.add_argument("--issue", action="store_true",
                   help="issue the pack: keep it, with the data it shows, as the baseline for the next one")
    return p


def _iso_date(text: str):
    import argparse
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write it as YYYY-MM-DD") from None


def _user() -> str:
    from send_desktop import settings

    return settings.user_name() or settings.login_name()


def _open(path: str, *, create: bool = False):
    from send_desktop.storage.database import open_database

    return open_database(Path(path), create=create, user=_user())


def _progress_printer(label: str):
    interactive = sys.stderr.isatty()

    def show(p):
        if interactive and p.total:
            width = 30
            filled = int(width * p.fraction)
            sys.stderr.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {p.done}/{p.total} ")
            sys.stderr.flush()

    return show


def cmd_init(args) -> int:
    path = Path(args.db)
    if path.exists() and path.stat().st_size:
        raise UserError(f"{path} already exists; choose a new file name.")
    from send_desktop.services import plan_setup

    db = _open(args.db, create=True)
    try:
        if args.demo:
            from send_desktop.services.demo import load_demo

            load_demo(db)
        else:
            plan_setup.new_plan(db, args.title, args.scale, source="command line")
    finally:
        db.close()
    print(f"created {path}")
    return 0


def cmd_check(args) -> int:
    if args.self_test:
        from send_desktop.selftest import self_test

        return self_test()
    if not args.db:
        raise UserError("check needs a database file (or --self-test).")
    from send_desktop.services.check import check_database

    report = check_database(Path(args.db))
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{report['file']}: schema {report['schema']} ({report['schema_status']}), "
              f"integrity {report['integrity']}")
        for kind, n in report["counts"].items():
            print(f"  {kind:<16}{n:>8}")
    return 0 if report["integrity"] == "ok" else 2


def cmd_export(args) -> int:
    from send_desktop.core.progress import run_steps
    from send_desktop.exchange import exporter

    db = _open(args.db)
    try:
        run_steps(exporter(args.kind)(db, Path(args.out)), _progress_printer("export"))
    finally:
        db.close()
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    print(f"wrote {args.out}")
    return 0


def _import_kind(args, infile: Path) -> str:
    """`--kind`, or the kind told from the file; exit 2 with one line when it cannot be told."""
    from send_desktop.exchange import IMPORTERS
    from send_desktop.xlsx.detect import detect_kind

    if args.kind:
        return args.kind
    kind = detect_kind(infile)
    if kind not in IMPORTERS:
        raise BadInputError(f"{infile}: cannot tell what kind of workbook this is; give --kind {'|'.join(IMPORTERS)}")
    return kind


def _mapping_file(name: str) -> dict:
    """`--mapping FILE.json`: a JSON object of "column header": "field"."""
    try:
        data = json.loads(Path(name).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"{name}: not a readable JSON column mapping ({exc})") from None
    if not isinstance(data, dict):
        raise UserError(f'{name}: a column mapping is a JSON object of "column header": "field"')
    return data


def _match_decisions(value: str | None):
    """`--accept-matches`: "all", "none", or a JSON file of decisions (`xlsx.plan_match`)."""
    if value is None or value.casefold() in ("all", "none"):
        return value and value.casefold()
    try:
        return json.loads(Path(value).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"{value}: not a readable JSON file of match decisions ({exc})") from None


def _decisions_file(name: str) -> dict:
    """`--decisions FILE.json`: a JSON list of {"entity", "uid", "field", "choice", "value"}."""
    from send_desktop.xlsx.merge_decisions import decisions_from_list

    try:
        data = json.loads(Path(name).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"{name}: not a readable JSON list of decisions ({exc})") from None
    return decisions_from_list(data, name)


def cmd_import(args) -> int:
    from send_desktop.core.progress import run_steps
    from send_desktop.exchange import FOREIGN, importer

    infile = Path(args.infile)
    if not infile.is_file():
        raise UserError(f"{infile} does not exist or is not a file.")
    args.kind = _import_kind(args, infile)
    options = {"strategy": args.strategy, "delete_missing": args.delete_missing}
    if getattr(args, "mapping", None):
        if "mapping" not in inspect.signature(importer(args.kind)).parameters:
            raise UserError(f"--mapping is not read for --kind {args.kind}, only for {', '.join(FOREIGN)}.")
        options["mapping"] = _mapping_file(args.mapping)
    for name, value in (("scale", args.scale), ("matches", _match_decisions(args.accept_matches))):
        if value is None:
            continue
        if name not in inspect.signature(importer(args.kind)).parameters:
            flag = "--scale" if name == "scale" else "--accept-matches"
            raise UserError(f"{flag} is not read for --kind {args.kind}, only for plan workbooks so far.")
        options[name] = value
    if getattr(args, "decisions", None):
        options["decisions"] = _decisions_file(args.decisions)
    db = _open(args.db)
    try:
        report = run_steps(importer(args.kind)(db, infile, dry_run=args.dry_run, source=f"import {infile.name}",
                                               **options),
                           _progress_printer("import"))
    except BadInputError as exc:
        if args.json:
            details = [c.as_dict() for c in getattr(exc, "conflicts", [])]
            print(json.dumps({"kind": args.kind, "created": 0, "updated": 0, "unchanged": 0,
                              "conflicts": len(getattr(exc, "conflicts", None)
                                               or [p for p in exc.problems if p.message.startswith("conflict:")]),
                              "errors": [p.as_dict() for p in exc.problems] or
                              [{"sheet": "", "row": None, "column": "", "message": exc.message}],
                              "warnings": [], **({"conflict_details": details} if details else {})}, indent=2))
        raise
    finally:
        db.close()
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    if args.json:
        out = report.as_dict()
        if details := [c.as_dict() for c in getattr(report, "conflict_details", [])]:
            out["conflict_details"] = details  # only with conflicts: the report's keys are otherwise as they were
        print(json.dumps(out, indent=2))
    else:
        print(report.summary())
    return 0


def cmd_imports(args) -> int:
    from send_desktop.services.import_undo import imports

    db = _open(args.db)
    try:
        rows = imports(db)
    finally:
        db.close()
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print(f"{args.db}: no imports on record")
    for b in rows:
        counts = ", ".join(f"{v} {k}" for k, v in b["counts"].items())
        state = f"undone {b['undone_at']}" if b["undone_at"] else f"{b['changes']} changes"
        print(f"{b['id']:>5}  {b['at']}  {b['kind']:<10} {b['file']}  ({counts}; {state}) by {b['user'] or '?'}")
    return 0


def cmd_undo_import(args) -> int:
    from send_desktop.services.import_undo import undo_import

    db = _open(args.db)
    try:
        done = undo_import(db, args.id)
    finally:
        db.close()
    print(f"undid import {done['id']} ({done['file']}): {done['reverted']} changes reverted "
          f"({done['deleted']} records deleted, {done['restored']} fields restored, "
          f"{done['reinserted']} records put back)")
    return 0


def cmd_dump(args) -> int:
    from send_desktop.exchange import dumper

    db = _open(args.db)
    try:
        data = dumper(args.kind)(db)
    finally:
        db.close()
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def cmd_audit_score(args) -> int:
    from send_desktop.audits.audit_json import load_framework, score_audit_file

    result = score_audit_file(load_framework(Path(args.framework)), Path(args.audit))
    json.dump(result.to_contract(), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def cmd_audit_report(args) -> int:
    from send_desktop.reports.audit_report import audit_report, report_text

    db = _open(args.db)
    try:
        report = audit_report(db, date_from=args.date_from, date_to=args.date_to)
    finally:
        db.close()
    if args.json:
        json.dump(report.as_dict(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(report_text(report))
    return 0


def cmd_pack(args) -> int:
    from send_desktop.core.progress import run_steps
    from send_desktop.pack.build import make_pack

    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        raise BadInputError(f"{out}: the pack is a PDF; give a file name ending .pdf.")
    db = _open(args.db)
    try:
        result = run_steps(make_pack(db, out, args.meeting, issue=args.issue, issued_by=_user()),
                           _progress_printer("pack"))
    finally:
        db.close()
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    state = f"issued (version {result.version}, SHA-256 {result.sha256[:12]}…)" if args.issue else "draft"
    print(f"wrote {out}: {result.pages} pages, {state}")
    return 0


def _run_command(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    handler = {"init": cmd_init, "check": cmd_check, "export": cmd_export, "import": cmd_import,
               "imports": cmd_imports, "undo-import": cmd_undo_import, "dump": cmd_dump, "audit-score": cmd_audit_score, "audit-report": cmd_audit_report,
               "pack": cmd_pack}[args.command]
    return handler(args)


def _where(argv: list[str]) -> str:
    files = [a for a in argv[1:] if not a.startswith("-")]
    return files[0] if files else "send-desktop"


def main(argv: list[str]) -> int:
    from send_desktop.log import setup_logging

    log_path = setup_logging()
    if not argv or argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version"):
        if len(argv) > 1:
            sys.stderr.write("send-desktop: give at most one database file to open\n")
            return 2
        from send_desktop.ui.app import run_gui

        return run_gui(argv[0] if argv else None)
    import gc

    gc.enable()  # off for the window's start-up only (__main__)
    try:
        return _run_command(argv)
    except SystemExit as exc:  # argparse: usage errors are bad input
        if isinstance(exc.code, str):
            sys.stderr.write(exc.code + "\n")
            return 2
        return int(exc.code or 0)
    except BadInputError as exc:  # its message already names the input file and the cell
        sys.stderr.write(f"send-desktop: {exc.message.splitlines()[0]}\n")
        return 2
    except UserError as exc:
        message = exc.message.replace("\n", " ")
        where = _where(argv)
        sys.stderr.write(f"send-desktop: {message}\n" if where in message else f"send-desktop: {where}: {message}\n")
        return 2
    except BrokenPipeError:  # `send-desktop dump ... | head`: the reader has had enough
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        sys.stderr.write("send-desktop: interrupted; nothing was changed by the unfinished step\n")
        return 130
    except Exception:
        log.exception("unexpected error in %s", argv[0])
        sys.stderr.write(f"send-desktop: unexpected error; details are in {log_path}\n")
        return 1

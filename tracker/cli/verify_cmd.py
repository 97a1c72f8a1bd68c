"""``tracker verify``: recompute the hash chains and check saved heads."""

from __future__ import annotations

import json
import string
from pathlib import Path

import typer

from tracker.cli.options import TextFormat, clerk_option, format_option, resolve_clerk
from tracker.errors import (
    BadValue,
    ChainBroken,
    DatabaseBusy,
    DatabaseReadOnly,
    RoleMayNotWrite,
)


def _parse_heads(heads: list[str], heads_file: Path | None) -> dict[str, str]:
    wanted: dict[str, str] = {}
    if heads_file is not None:
        try:
            saved = json.loads(heads_file.read_text(encoding="utf-8"))["heads"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise BadValue(f"{heads_file} is not a file written by `tracker verify --save` "
                           f"({type(exc).__name__})", field="heads") from None
        wanted.update({str(k): str(v) for k, v in saved.items()})
    for value in heads:
        code, _, digest = value.partition(":")
        if (code.upper() not in ("C", "M") or len(digest) != 64
                or any(ch not in string.hexdigits for ch in digest)):
            raise BadValue(f"'{value}' is not like C:<64 hex digits>", field="head")
        wanted[code.upper()] = digest.lower()
    return wanted


def verify(
    ctx: typer.Context,
    head: list[str] | None = typer.Option(None, "--head", metavar="C:HASH",
                                          help="A head printed earlier that the log must "
                                          "still contain. Repeatable."),
    heads: Path | None = typer.Option(None, "--heads", metavar="FILE",
                                      help="Heads saved earlier with --save."),
    save: Path | None = typer.Option(None, "--save", metavar="FILE",
                                     help="Write the current heads to FILE (when all is ok)."),
    accept: str | None = typer.Option(None, "--accept", metavar="REASON",
                                      help="Accept the breaks this run finds (an "
                                      "administrator's decision, kept with REASON); later "
                                      "runs and reports list them apart."),
    clerk: str | None = clerk_option(),
    fmt: TextFormat = format_option(),
) -> None:
    """Recompute every register's hash chain; exit 1 at the first break.

    Also checks that registration numbers have no gap and that the counters match the
    records. With --head or --heads, checks that the log still contains heads printed or
    saved earlier, i.e. that nothing before them was rewritten or cut away.

    Each run's result is kept in the log (when this role may write), so that every report
    says whether the chains were last found intact.

    Example: tracker verify --save heads-2018-12-20.json
    """
    from tracker.render.text import render
    from tracker.services.records.verify import record_results
    from tracker.services.records.verify import verify as run_verify

    wanted = _parse_heads(head or [], heads)
    if save is not None and (save.is_dir() or not save.expanduser().parent.is_dir()):
        what = "is a directory" if save.is_dir() else "is in a directory that does not exist"
        raise BadValue(f"{save} {what}; give a file name", field="save")
    db = ctx.obj.database()
    with db.read() as session:
        result = run_verify(session.connection(), expected_heads=wanted)
    try:
        with db.write() as session:
            accepted = record_results(session, result, accept=accept, clerk=resolve_clerk(clerk))
    except (DatabaseReadOnly, RoleMayNotWrite, DatabaseBusy) as exc:
        if accept is not None:
            raise
        typer.echo(f"Note: the result is not kept ({exc.describe()})", err=True)
        accepted = 0
    if accepted:
        for check in result.registers:
            if check.broken is not None:
                check.accepted.append(check.broken)
                check.broken = None
    for check in result.registers:
        for known in check.accepted:
            typer.echo(f"Note: accepted break: {known.describe()}", err=True)
    rows = [{"register": c.register, "versions": c.versions, "records": c.records,
             "head": c.head,
             "status": "ok" if c.broken is None and c.register not in result.missing_heads
             else "broken"} for c in result.registers]
    if fmt is TextFormat.json:
        document = {"ok": result.ok, "registers": rows,
                    "breaks": [c.broken.describe() for c in result.registers if c.broken],
                    "missing_heads": result.missing_heads}
        typer.echo(render([], [], "json", document=document), nl=False)
    else:
        typer.echo(render(rows, ["register", "versions", "records", "head", "status"],
                          fmt.value), nl=False)
    if save is not None and result.ok:
        from tracker.cli.output import atomic_write

        payload = json.dumps({"heads": result.heads,
                              "versions": {c.register: c.versions for c in result.registers}},
                             indent=2) + "\n"
        atomic_write(save, lambda p: p.write_text(payload, encoding="utf-8"), field="save")
        typer.echo(f"wrote {save}", err=True)
    breaks = [c.broken.describe() for c in result.registers if c.broken]
    breaks += [f"register {code}: the saved head {digest[:12]}… is not in the log: it was "
               "rewritten or cut back before that head" for code, digest in
               result.missing_heads.items()]
    if breaks:
        raise ChainBroken("; ".join(breaks))

"""``tracker demo``: the main job end to end, for a first look."""

from __future__ import annotations

from pathlib import Path

import typer


def demo(
    ctx: typer.Context,
    out: Path = typer.Option(Path("out/monthly.csv"), "--out", "-o",
                             help="Where to write the monthly CSV report."),
) -> None:
    """Migrate the database, load the seed, print the summary and write the monthly CSV.

    Example: tracker demo --out /tmp/monthly.csv
    """
    from tracker.cli.output import atomic_write, suffix_format
    from tracker.cli.seed_cmd import describe
    from tracker.db.faults import safe_url
    from tracker.db.migrate import upgrade
    from tracker.render.frames import render_text
    from tracker.services.reports.monthly import monthly_report
    from tracker.services.reports.summary import summary_report
    from tracker.services.seed import load_seed

    suffix_format(out, {".csv": "csv"})  # the monthly CSV, named as what it is
    state = ctx.obj
    url = state.url()
    upgrade(url)
    typer.echo(f"database: {safe_url(url)}")
    db = state.writable_database()
    with db.write() as session:
        result = load_seed(session)
    typer.echo(describe(result))
    with db.read() as session:
        summary = summary_report(session)
        monthly = monthly_report(session)
    typer.echo("")
    typer.echo(render_text(summary.frame, "table"), nl=False)
    out.parent.mkdir(parents=True, exist_ok=True)
    text = render_text(monthly.frame, "csv")
    atomic_write(out, lambda p: p.write_text(text, encoding="utf-8"))
    typer.echo(f"\nmonthly report ({len(monthly.frame)} rows): {out.resolve()}")

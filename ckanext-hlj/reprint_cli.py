"""`ckan hlj reprint …`: reprint checks. `match` is the offline mode for inspectors' own crawl exports (no portal
data involved): S.csv (id,title,doc_number,published_at,url) against T.csv (site,title,doc_number,published_at,url
[,body]) → R.csv with one verdict per (source item, site)."""

from __future__ import annotations

import json

import click

from ckanext.hlj.catalogue.errors import InvalidValue


@click.group(short_help="Reprint checks of State Council and provincial policy items.")
def reprint() -> None:
    """Which sites reprinted which watched policy items, how fast, and who is missing."""


@reprint.command("match")
@click.option(
    "--sources", "sources", required=True, type=click.Path(exists=True, dir_okay=False), help="S.csv"
)
@click.option(
    "--site-items", "site_items", required=True, type=click.Path(exists=True, dir_okay=False), help="T.csv"
)
@click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False, writable=True), help="R.csv to write"
)
@click.option(
    "--sla-hours", type=float, help="Hours a site has to reprint (default ckanext.hlj.reprint.sla_hours)."
)
@click.option("--now", help="Judge 'pending' against this moment instead of now (ISO 8601).")
def reprint_match(sources: str, site_items: str, out: str, sla_hours: float | None, now: str | None) -> None:
    """Match an inspection's crawl exports offline and write one verdict per (source item, site)."""
    import ckan.plugins.toolkit as tk  # noqa: PLC0415

    from ckanext.hlj.reprint.offline import match_files  # noqa: PLC0415

    hours = sla_hours if sla_hours is not None else tk.config.get("ckanext.hlj.reprint.sla_hours")
    try:
        summary = match_files(sources, site_items, out, sla_hours=hours, now=now)
    except InvalidValue as error:
        raise click.ClickException(error.message("zh_Hans_CN")) from None
    click.echo(json.dumps(summary, ensure_ascii=False, default=str))


@reprint.command("check")
@click.option("--enqueue", is_flag=True, help="Queue it for the jobs worker instead of running it here.")
@click.option(
    "--if-harvested",
    is_flag=True,
    help="Only if a site harvest finished since the last check was run or queued (the scheduler calls this after "
    "every `ckan harvester run`, so results follow the harvests).",
)
def reprint_check(enqueue: bool, if_harvested: bool) -> None:
    """Match the watched items against every obligated site's records and store the verdicts."""
    from ckanext.hlj.reprint import check  # noqa: PLC0415

    if if_harvested and not check.harvested_since_check():
        click.echo("no site harvest finished since the last check")
        return
    if enqueue:
        click.echo(f"queued {check.enqueue().id}")
        return
    click.echo(json.dumps(check.run(), ensure_ascii=False))

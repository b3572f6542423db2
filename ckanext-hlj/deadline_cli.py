"""`ckan hlj deadline …` and `ckan hlj calendar …`: due dates, timeliness reports, the daily refresh, and the
working-day calendar (loading a new year's State Council notice before the package has it)."""

from __future__ import annotations

import json

import click

from ckanext.hlj.catalogue.errors import InvalidValue


@click.group(short_help="Publication deadlines: due dates, reports, the daily refresh.")
def deadline() -> None:
    """Publication deadlines on China's working-day calendar."""


@deadline.command("due")
@click.argument("start")
@click.option("--working-days", type=int, help="Working days after START (the start day is not counted).")
@click.option("--days", type=int, help="Calendar days after START (ending on a rest day runs on).")
@click.option("--hours", type=float, help="Hours after START (a date and time, Asia/Shanghai).")
@click.option("--rule", help="A rule id instead of a period, e.g. decision_publication_7wd.")
@click.option("--provisional", is_flag=True, help="Accept an estimate for a year whose notice is not loaded.")
def deadline_due(start, *, working_days, days, hours, rule, provisional) -> None:
    """Print the due date counted from START."""
    from ckanext.hlj.catalogue import deadlines  # noqa: PLC0415

    try:
        result = deadlines.compute(
            start, rule=rule, working_days=working_days, days=days, hours=hours, provisional=provisional
        )
    except InvalidValue as error:
        raise click.ClickException(error.message("zh_Hans_CN")) from None
    click.echo(result.due.isoformat() + ("  (provisional: 暂估)" if result.provisional else ""))


@deadline.command("report")
@click.option("--rule", help="proactive_disclosure_20wd or decision_publication_7wd (default both).")
@click.option("--org", "organization", help="One organisation (default all).")
@click.option("--from", "start_from", help="Clock started on or after this date.")
@click.option("--to", "start_to", help="Clock started on or before this date.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def deadline_report(rule, organization, start_from, start_to, as_json) -> None:
    """Timeliness per organisation: on time, late, pending, overdue, on-time rate."""
    import ckan.plugins.toolkit as tk  # noqa: PLC0415

    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    try:
        result = tk.get_action("hlj_deadline_report_show")(
            {"user": site_user},
            {"rule": rule, "organization": organization, "start_from": start_from, "start_to": start_to},
        )
    except (tk.ValidationError, tk.ObjectNotFound) as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for item in result["rules"]:
        click.echo(f"{item['rule']}  {item['title']}")
        click.echo(
            f"  {'organisation':40} {'on time':>8} {'late':>6} {'pending':>8} {'overdue':>8} {'rate':>6}"
        )
        for org in [*item["organizations"], {"title": "合计 total", **item["totals"]}]:
            rate = "—" if org["on_time_rate"] is None else f"{org['on_time_rate']:.0%}"
            click.echo(
                f"  {org['title'][:40]:40} {org['on_time']:>8} {org['late']:>6} {org['pending']:>8} "
                f"{org['overdue']:>8} {rate:>6}"
            )


@deadline.command("refresh")
@click.option("--enqueue", is_flag=True, help="Queue it for the jobs worker instead of running it here.")
@click.option("--today", help="Pretend today is this date (YYYY-MM-DD).")
def deadline_refresh(enqueue: bool, today: str | None) -> None:
    """Re-index datasets whose status time alone changed (pending → overdue); refresh the calendar tables."""
    from ckanext.hlj.deadline import jobs  # noqa: PLC0415

    if enqueue:
        job = jobs.enqueue_refresh(today)
        click.echo(f"queued {job.id}")
        return
    click.echo(json.dumps(jobs.refresh(today)))


@deadline.command("remind")
@click.option("--enqueue", is_flag=True, help="Queue it for the jobs worker instead of running it here.")
@click.option("--today", help="Pretend today is this date (YYYY-MM-DD).")
def deadline_remind(enqueue: bool, today: str | None) -> None:
    """Email each organisation's admins what falls due soon and what is overdue."""
    from ckanext.hlj.deadline import reminders  # noqa: PLC0415

    if enqueue:
        click.echo(f"queued {reminders.enqueue(today).id}")
        return
    click.echo(json.dumps(reminders.send(today)))


@click.group(short_help="The working-day calendar.")
def calendar() -> None:
    """China's working-day calendar (chinesecalendar plus catalogue/data/calendar_overrides.yaml)."""


@calendar.command("add-year")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--replace", is_flag=True, help="Replace a year already in the override file.")
def calendar_add_year(path: str, replace: bool) -> None:
    """Load a year's State Council holiday notice from a YAML/JSON file (see catalogue/workdays.py)."""
    from ckanext.hlj.catalogue import workdays  # noqa: PLC0415
    from ckanext.hlj.deadline import calendar_table  # noqa: PLC0415

    try:
        written = workdays.add_year_file(path, replace=replace)
    except InvalidValue as error:
        raise click.ClickException(error.message("zh_Hans_CN")) from None
    click.echo(f"written {written}")
    calendar_table.forget()
    click.echo(f"calendar tables rewritten: {calendar_table.ensure_everywhere()}")


@calendar.command("sync")
def calendar_sync() -> None:
    """Write the calendar table into CKAN's and the DataStore's databases (when it changed)."""
    from ckanext.hlj.deadline import calendar_table  # noqa: PLC0415

    click.echo(json.dumps(calendar_table.ensure_everywhere()))


@calendar.command("coverage")
def calendar_coverage() -> None:
    """Which years are loaded, and from where; which are missing."""
    from ckanext.hlj.catalogue import workdays  # noqa: PLC0415

    for year, source in sorted(workdays.coverage().items()):
        click.echo(f"{year}  {source}")
    missing = workdays.missing_years()
    if missing:
        click.echo("missing (estimated only when asked): " + ", ".join(map(str, missing)))

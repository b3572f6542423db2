"""`ckan hlj credit …`: load, expire, withdraw and republish 双公示 records from the command line.

The group is added to ``ckan hlj`` in cli.py with ``hlj.add_command(credit)``.
"""

from __future__ import annotations

import json
import sys

import click

__all__ = ["credit"]


def _site_context() -> dict:
    import ckan.plugins.toolkit as tk  # noqa: PLC0415

    return {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"], "ignore_auth": True}


def _action(name: str, **data):
    import ckan.plugins.toolkit as tk  # noqa: PLC0415

    try:
        return tk.get_action(name)(_site_context(), data)
    except tk.ValidationError as error:
        raise click.ClickException(json.dumps(error.error_dict, ensure_ascii=False)) from None
    except tk.ObjectNotFound as error:
        raise click.ClickException(f"not found: {error}") from None


@click.group(short_help="双公示 (credit publication) records.")
def credit() -> None:
    """Credit publications: load files, daily expiry, withdrawals."""


@credit.command("expire")
@click.option("--dataset", help="Only this credit-publication dataset (default: all).")
@click.option("--as-of", help="Judge by this day (YYYY-MM-DD) instead of today in Asia/Shanghai.")
@click.option(
    "--enqueue", is_flag=True, help="Queue the job for `ckan jobs worker` instead of running it here."
)
def expire(dataset: str | None, as_of: str | None, enqueue: bool) -> None:
    """Move records past their 公示截止期 out of the public tables (the audit copies keep them). Run daily."""
    from ckanext.hlj.credit import jobs  # noqa: PLC0415

    if enqueue:
        job = jobs.enqueue_expiry(as_of)
        click.echo(f"Queued credit expiry job {job.id}")
        return
    if dataset:
        result = _action("hlj_credit_expire", id=dataset, as_of=as_of)
    else:
        result = _action("hlj_credit_expire", as_of=as_of)
    click.echo(f"{result['expired']} records left public view ({result['publications']} publications)")


@credit.command("load")
@click.argument("dataset")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Validate only.")
def load(dataset: str, path: str, dry_run: bool) -> None:
    """Load a CSV or XLSX file of XK_*/CF_* records into DATASET; print the report (JSON)."""
    from werkzeug.datastructures import FileStorage  # noqa: PLC0415

    with open(path, "rb") as stream:
        upload = FileStorage(stream=stream, filename=path)
        report = _action("hlj_credit_rows_upsert", id=dataset, upload=upload, dry_run=dry_run)
    json.dump(report, sys.stdout, ensure_ascii=False, indent=1)
    click.echo()
    if report["error_count"]:
        sys.exit(1)


@credit.command("withdraw")
@click.argument("dataset")
@click.argument("decision_number")
@click.argument("party_code")
@click.option("--reason", required=True, help="e.g. 信用修复")
def withdraw(dataset: str, decision_number: str, party_code: str, reason: str) -> None:
    """Take one record out of public view (kept in the audit copy)."""
    result = _action(
        "hlj_credit_withdraw",
        id=dataset,
        decision_number=decision_number,
        party_code=party_code,
        reason=reason,
    )
    click.echo(f"{len(result['withdrawn'])} records withdrawn")


@credit.command("republish")
@click.argument("dataset")
def republish(dataset: str) -> None:
    """Rebuild DATASET's public table from its audit copy."""
    result = _action("hlj_credit_republish", id=dataset)
    click.echo(f"{result['published']} records published in {result['resource_id']}")

"""`ckan hlj …` commands."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import click

# What tk.blanket.cli registers with CKAN's CLI: the `ckan hlj` group and everything under it.
__all__ = ["hlj"]


@click.group(short_help="Heilongjiang open-government platform commands.")
def hlj() -> None:
    """Commands of ckanext-hlj."""


@hlj.group()
def demo() -> None:
    """Demo data for a local portal."""


@demo.command("load")
@click.option("--user", help="Sysadmin to act as (default: ckanext.hlj.demo.admin_user).")
def demo_load(user: str | None) -> None:
    """Create or refresh the demo organisations and datasets (safe to run repeatedly)."""
    from ckanext.hlj import demo as demo_data  # noqa: PLC0415 - needs the loaded CKAN environment

    report = demo_data.load(user or tk.config.get("ckanext.hlj.demo.admin_user"))
    click.echo(f"Demo data: {report.summary()}")


@demo.command("sysadmin")
@click.option("--name", default="admin", show_default=True)
@click.option("--email", default="admin@hlj.invalid", show_default=True)
@click.option(
    "--credentials",
    "credentials_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="File (mode 600) holding the generated password and API token.",
)
def demo_sysadmin(name: str, email: str, credentials_path: str) -> None:
    """Ensure a sysadmin with a generated password and API token exists; print its credentials."""
    from pathlib import Path  # noqa: PLC0415

    from ckanext.hlj.demo.sysadmin import ensure_sysadmin  # noqa: PLC0415

    creds, fresh = ensure_sysadmin(name, email, Path(credentials_path))
    click.echo(("New credentials" if fresh else "Credentials") + f" (saved in {credentials_path}):")
    click.echo(creds.describe())


# --- Excel: templates, bulk import and export (ckanext.hlj.excel) --------------------------------------------


def _excel_user(user: str | None) -> str:
    """The user the Excel commands act as: the one named, else the site user (who sees everything)."""
    if user:
        return user
    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]


def _in_language(lang: str | None):
    """A request context in ``lang`` (default: the portal's), so that CKAN's and our validators answer in it."""
    ctx = click.get_current_context()
    lang = lang or tk.config.get("ckan.locale_default") or "zh_Hans_CN"
    return ctx.meta["flask_app"].test_request_context(environ_overrides={"CKAN_LANG": lang})


_LANG = click.option(
    "--lang", type=click.Choice(["zh_Hans_CN", "en"]), help="Language of labels and messages."
)


@hlj.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--type", "dataset_type", required=True, help="Dataset type, e.g. service-item.")
@click.option("--org", "org", required=True, help="Organisation name or id.")
@click.option("--user", help="User to act as (default: the site user).")
@_LANG
def excel_import(file: str, dataset_type: str, org: str, user: str | None, lang: str | None) -> None:
    """Create or update an organisation's items from a filled Excel template (exit code 1 if a row failed)."""
    from ckanext.hlj import excel  # noqa: PLC0415

    with _in_language(lang):
        try:
            report = excel.import_workbook(file, dataset_type, org, _excel_user(user), lang=lang)
        except excel.WorkbookError as error:
            raise click.ClickException(error.message(lang)) from None
        except tk.NotAuthorized as error:
            raise click.ClickException(str(error) or "not authorised") from None
    for line in report.error_lines():
        click.echo(line, err=True)
    for line in report.error_lines(report.warnings):
        click.echo(line, err=True)
    click.echo(f"{file}: {report.summary()} ({report.seconds:.1f} s)")
    if not report.ok:
        raise SystemExit(1)


@hlj.command("export")
@click.option("--type", "dataset_type", required=True, help="Dataset type, e.g. service-item.")
@click.option("--org", "org", required=True, help="Organisation name or id.")
@click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False, writable=True), help=".xlsx file to write."
)
@click.option(
    "--user", help="User whose view to export (default: the site user, who sees private items too)."
)
@_LANG
def excel_export(dataset_type: str, org: str, out: str, user: str | None, lang: str | None) -> None:
    """Write an organisation's items of one type to the type's Excel template."""
    from ckanext.hlj import excel  # noqa: PLC0415

    with _in_language(lang):
        try:
            workbook = excel.export(dataset_type, org, _excel_user(user), lang)
        except excel.WorkbookError as error:
            raise click.ClickException(error.message(lang)) from None
    workbook.save(out)
    items = sum(
        1 for row in workbook.worksheets[0].iter_rows(min_row=3, max_col=1, values_only=True) if row[0]
    )
    click.echo(f"{out}: {items} items")


@hlj.command("template")
@click.option("--type", "dataset_type", required=True, help="Dataset type, e.g. service-item.")
@click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False, writable=True), help=".xlsx file to write."
)
@_LANG
def excel_template(dataset_type: str, out: str, lang: str | None) -> None:
    """Write the blank Excel import template of a dataset type."""
    from ckanext.hlj import excel  # noqa: PLC0415

    with _in_language(lang):
        try:
            workbook = excel.template(dataset_type, lang)
        except excel.WorkbookError as error:
            raise click.ClickException(error.message(lang)) from None
    workbook.save(out)
    click.echo(f"{out}: template of {dataset_type}")


def _add_credit_commands() -> None:
    # `ckan hlj credit …`: 双公示 loading, expiry, withdrawal (ckanext-hlj/credit_cli.py).
    from ckanext.hlj.credit_cli import credit  # noqa: PLC0415

    hlj.add_command(credit)


_add_credit_commands()


def _add_deadline_commands() -> None:
    # `ckan hlj deadline …` and `ckan hlj calendar …` (ckanext-hlj/deadline_cli.py).
    from ckanext.hlj.deadline_cli import calendar, deadline  # noqa: PLC0415

    hlj.add_command(deadline)
    hlj.add_command(calendar)


_add_deadline_commands()


def _add_reprint_commands() -> None:
    # `ckan hlj reprint …` (ckanext-hlj/reprint_cli.py).
    from ckanext.hlj.reprint_cli import reprint  # noqa: PLC0415

    hlj.add_command(reprint)


_add_reprint_commands()


def _add_ops_commands() -> None:
    # `ckan hlj backup|restore|metrics|health` (ckanext-hlj/ops_cli.py).
    from ckanext.hlj.ops_cli import commands  # noqa: PLC0415

    for command in commands:
        hlj.add_command(command)


_add_ops_commands()

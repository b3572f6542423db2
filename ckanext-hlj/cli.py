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

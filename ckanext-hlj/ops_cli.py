"""`ckan hlj backup|restore|metrics`: operations commands (ckanext-hlj/ops/; the guide is docs/operations.md)."""

from __future__ import annotations

import json
from pathlib import Path

import click

__all__ = ["commands"]


@click.command("backup", short_help="Back up both databases and the uploaded files into a new folder.")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
def backup(dest: Path) -> None:
    """Write DEST/ckan.dump, DEST/datastore.dump (pg_dump custom format), DEST/storage.tar.gz and
    DEST/manifest.json (checksums, versions, counts). DEST must not exist or be empty."""
    from ckanext.hlj.ops import backup as ops_backup  # noqa: PLC0415

    try:
        manifest = ops_backup.backup(dest)
    except ops_backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    counts = manifest["counts"]
    click.echo(
        f"Backup written to {dest}: {counts['datasets']} datasets, {counts['datastore_tables']} DataStore tables, "
        f"{counts['storage_files']} files."
    )


@click.command("restore", short_help="Restore a backup into empty databases, then rebuild the search index.")
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace data already in the databases and storage folder.")
@click.option("--no-reindex", is_flag=True, help="Do not rebuild the search index afterwards.")
def restore(src: Path, force: bool, no_reindex: bool) -> None:
    """Check SRC's checksums, pg_restore both databases (each in one transaction), unpack the uploaded files into
    ckan.storage_path, check the counts against the manifest, and rebuild the search index from the database."""
    from ckanext.hlj.ops import backup as ops_backup  # noqa: PLC0415

    try:
        restored = ops_backup.restore(src, force=force, rebuild_index=not no_reindex)
    except ops_backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored from {src}: {json.dumps(restored, ensure_ascii=False)}")


@click.command("metrics", short_help="Print the portal's metrics (Prometheus text format).")
def metrics() -> None:
    """The same figures as GET /api/hlj/metrics: health, queues, harvest errors, overdue counts, search latency."""
    from ckanext.hlj.ops import metrics as ops_metrics  # noqa: PLC0415

    click.echo(ops_metrics.render(), nl=False)


@click.command("health", short_help="Run the health checks; exit 1 when a required one fails.")
@click.option("--check", "names", multiple=True, help="Run only this check (repeatable).")
def health(names: tuple[str, ...]) -> None:
    """The same report as GET /api/hlj/health, as JSON."""
    from ckanext.hlj.ops import health as ops_health  # noqa: PLC0415

    report = ops_health.run(list(names) or None)
    click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    if report["status"] != "ok":
        raise SystemExit(1)


commands = [backup, restore, metrics, health]

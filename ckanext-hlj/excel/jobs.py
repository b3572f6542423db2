"""Background Excel imports: a big workbook is imported by the jobs worker, not inside the upload's request.

A 5,000-row workbook takes minutes to import (each row is a full package_create with validation and indexing);
a web request that long times out in every proxy in front of the portal. So an upload with more item rows than
``ckanext.hlj.excel.inline_rows`` is saved under CKAN's storage path, recorded in ``hlj_import_job`` and handed to
CKAN's jobs queue; the uploader's page follows its progress and shows the same report when it is done. Smaller
workbooks are still imported at once, so a publisher fixing one row sees the answer immediately.

A job that the worker never finished (the worker was killed) is not left "running" forever: one whose last sign
of life is older than ``ckanext.hlj.excel.job_timeout`` is reported as failed.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import uuid
from pathlib import Path
from typing import Any, BinaryIO

import ckan.plugins.toolkit as tk
from ckan import model
from sqlalchemy import Column, DateTime, Index, Integer, Table, UnicodeText, select

from ckanext.hlj import tables
from ckanext.hlj.tables import metadata

from .importer import WorkbookError, _sheets, import_workbook, layout_for, open_workbook
from .layout import cell_text, msg

log = logging.getLogger(__name__)

QUEUED, RUNNING, FINISHED, FAILED = "queued", "running", "finished", "failed"
PROGRESS_EVERY = 25  # rows between two progress updates

job_table = Table(
    "hlj_import_job",
    metadata,
    Column("id", UnicodeText, primary_key=True),
    Column("dataset_type", UnicodeText, nullable=False),
    Column("owner_org", UnicodeText, nullable=False),  # the organisation's id
    Column("user_name", UnicodeText, nullable=False),
    Column("lang", UnicodeText, nullable=False),
    Column("filename", UnicodeText, nullable=False, default=""),
    Column("status", UnicodeText, nullable=False),
    Column("rows_total", Integer, nullable=False, default=0),
    Column("rows_done", Integer, nullable=False, default=0),
    Column("report", UnicodeText),  # the ImportReport as JSON once finished
    Column("error", UnicodeText),  # why the job failed
    Column("created", DateTime(timezone=True), nullable=False),
    Column("updated", DateTime(timezone=True), nullable=False),
    Index("hlj_import_job_org_idx", "owner_org", "created"),
)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def inline_rows() -> int:
    return tk.config.get("ckanext.hlj.excel.inline_rows")


def job_timeout() -> int:
    return tk.config.get("ckanext.hlj.excel.job_timeout")


def item_rows(file: Any, dataset_type: str) -> int:
    """The number of non-empty rows below the header of the workbook's items sheet: cheap enough to decide whether
    an upload runs inline (a read-only pass, no validation). The header is one row of labels, or two when the
    second holds the field names, as in our templates (the importer's own rule)."""
    layout = layout_for(dataset_type)
    names = {c.name for c in layout.columns}
    wb = open_workbook(file)
    try:
        ws, _ = _sheets(wb, layout)
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # stated dimensions can lie; count what is there
        rows = [
            values for values in ws.iter_rows(values_only=True) if any(v not in (None, "") for v in values)
        ]
    finally:
        wb.close()
    second = [cell_text(v) for v in (rows[1] if len(rows) > 1 else ()) if cell_text(v)]
    header = 2 if second and 2 * sum(t in names for t in second) >= len(second) else 1
    return max(len(rows) - header, 0)


def _storage_dir() -> Path:
    root = tk.config.get("ckan.storage_path")
    if not root:
        raise WorkbookError(
            "未配置文件存储目录（ckan.storage_path），无法在后台导入大文件",
            "ckan.storage_path is not set: big workbooks cannot be imported in the background",
        )
    path = Path(root) / "hlj" / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _stored_file(job_id: str) -> Path:
    return _storage_dir() / f"{job_id}.xlsx"


def _save(upload: Any, target: Path) -> None:
    stream: BinaryIO = getattr(upload, "stream", upload)
    if hasattr(stream, "seek"):
        stream.seek(0)
    tmp = target.with_suffix(".part")
    with open(tmp, "wb") as out:
        while chunk := stream.read(1 << 20):
            out.write(chunk)
    os.replace(tmp, target)


def _update(job_id: str, **values: Any) -> None:
    # Its own short transaction on the engine, so progress is visible while the import's session is mid-row.
    with model.meta.engine.begin() as conn:
        conn.execute(job_table.update().where(job_table.c.id == job_id).values(updated=now(), **values))


def submit(upload: Any, *, dataset_type: str, org_id: str, user: str, lang: str, rows: int) -> dict[str, Any]:
    """Save ``upload``, record the job and queue it; returns the job as :func:`show` does."""
    tables.create_all()
    job_id = str(uuid.uuid4())
    _save(upload, _stored_file(job_id))
    moment = now()
    with model.meta.engine.begin() as conn:
        conn.execute(
            job_table.insert().values(
                id=job_id,
                dataset_type=dataset_type,
                owner_org=org_id,
                user_name=user,
                lang=lang,
                filename=getattr(upload, "filename", "") or "",
                status=QUEUED,
                rows_total=rows,
                rows_done=0,
                created=moment,
                updated=moment,
            )
        )
    tk.enqueue_job(
        run,
        [job_id],
        title=f"hlj excel import {dataset_type} {job_id}",
        rq_kwargs={"timeout": job_timeout()},
    )
    log.info("excel import %s of %s rows queued for %s by %s", job_id, rows, org_id, user)
    return show(job_id)


def run(job_id: str) -> None:
    """The worker's side: import the stored workbook as the uploader, recording progress and the report."""
    from ckanext.hlj.logic.validators import answering_in  # noqa: PLC0415

    tables.create_all()
    job = _row(job_id)
    if job is None or job["status"] != QUEUED:
        log.warning("excel import %s: nothing to do (%s)", job_id, job and job["status"])
        return
    _update(job_id, status=RUNNING)
    path = _stored_file(job_id)

    def progress(done: int, total: int) -> None:
        if done == total or done % PROGRESS_EVERY == 0:
            _update(job_id, rows_done=done, rows_total=total)

    try:
        with answering_in(job["lang"]):
            report = import_workbook(
                path,
                job["dataset_type"],
                job["owner_org"],
                job["user_name"],
                lang=job["lang"],
                progress=progress,
            )
    except WorkbookError as error:
        _update(job_id, status=FAILED, error=error.message(job["lang"]))
    except Exception as error:  # the job must end, with its reason shown to the uploader
        log.exception("excel import %s failed", job_id)
        model.Session.rollback()
        _update(
            job_id,
            status=FAILED,
            error=msg(job["lang"], f"导入中断：{error}", f"The import stopped: {error}"),
        )
    else:
        _update(job_id, status=FINISHED, report=json.dumps(report.as_dict(), ensure_ascii=False))
    finally:
        path.unlink(missing_ok=True)


def _row(job_id: str) -> dict[str, Any] | None:
    tables.create_all()
    row = model.Session.execute(select(job_table).where(job_table.c.id == job_id)).first()
    return None if row is None else dict(row._mapping)


def _stale(job: dict[str, Any]) -> bool:
    age = (now() - job["updated"]).total_seconds()
    return job["status"] in (QUEUED, RUNNING) and age > job_timeout()


def show(job_id: str) -> dict[str, Any] | None:
    """The job's status, progress and (when finished) its report; None when there is no such job."""
    job = _row(job_id)
    if job is None:
        return None
    if _stale(job):
        _update(
            job_id,
            status=FAILED,
            error=msg(
                job["lang"],
                "导入任务超时未完成，请重新上传",
                "The import did not finish in time: upload again",
            ),
        )
        job = _row(job_id) or job
    report = json.loads(job["report"]) if job["report"] else None
    return {
        "id": job["id"],
        "type": job["dataset_type"],
        "owner_org": job["owner_org"],
        "user": job["user_name"],
        "filename": job["filename"],
        "status": job["status"],
        "done": job["status"] in (FINISHED, FAILED),
        "rows_total": job["rows_total"],
        "rows_done": job["rows_done"],
        "error": job["error"],
        "report": report,
        "created": job["created"].isoformat(),
        "updated": job["updated"].isoformat(),
    }


__all__ = ["FAILED", "FINISHED", "QUEUED", "RUNNING", "inline_rows", "item_rows", "run", "show", "submit"]

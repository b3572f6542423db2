"""Limits on the Excel workbooks publishers upload (``hlj_import_create``, the organisation's Excel page).

CKAN's own limits (``ckan.max_resource_size``, ``ckan.max_image_size``, ``ckan.upload.*.types`` / ``mimetypes``)
cover resources and images only. A workbook is checked here before openpyxl opens it: its size
(``ckanext.hlj.security.excel_max_bytes``), that it is what it says — an ``.xlsx`` name and a ZIP archive holding
an Office Open XML workbook, whatever Content-Type the client claimed — and that its parts do not inflate past
``ckanext.hlj.security.excel_max_unzipped_bytes`` (a "ZIP bomb"). The XML inside is parsed by openpyxl with
defusedxml (``iterparse``) or lxml without entity resolution, so entity expansion is not a concern here.
"""

from __future__ import annotations

import io
import os
import zipfile
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.hlj.logic.validators import request_language

EXTENSIONS = (".xlsx", ".xlsm")
ZIP_MAGIC = b"PK\x03\x04"


def _msg(zh: str, en: str) -> str:
    return en if request_language() == "en" else zh


def _refuse(zh: str, en: str) -> None:
    raise tk.ValidationError({"upload": [_msg(zh, en)]})


def _not_a_workbook() -> None:
    # The importer's own wording for an unreadable file, so a publisher sees one message for one problem.
    _refuse(
        "无法读取上传的文件：请上传 Excel 工作簿（.xlsx）",
        "Cannot read the upload: send an Excel workbook (.xlsx)",
    )


def _human(size: int) -> str:
    return f"{size / 1048576:.3g} MB" if size >= 1048576 else f"{size / 1024:.3g} KB"


def _size(stream: Any) -> int:
    position = stream.tell()
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(position)
    return size


def check_workbook_upload(upload: Any) -> None:
    """Raise a ValidationError on ``upload`` (a werkzeug FileStorage or a file object) unless it is a workbook
    within the limits. Leaves the stream at its start."""
    max_bytes = tk.config.get("ckanext.hlj.security.excel_max_bytes")
    max_unzipped = tk.config.get("ckanext.hlj.security.excel_max_unzipped_bytes")
    filename = getattr(upload, "filename", None) or getattr(upload, "name", None) or ""
    if filename and not str(filename).lower().endswith(EXTENSIONS):
        _refuse("只接受 Excel 工作簿（.xlsx）", "Only Excel workbooks (.xlsx) are accepted")
    stream = getattr(upload, "stream", upload)
    if not (hasattr(stream, "seek") and getattr(stream, "seekable", lambda: True)()):
        # A non-seekable stream: read it once, within the limit, into memory for the importer.
        content = stream.read(max_bytes + 1)
        stream = io.BytesIO(content)
        if hasattr(upload, "stream"):
            upload.stream = stream
    size = _size(stream)
    if size > max_bytes:
        limit = _human(max_bytes)
        _refuse(f"文件过大：上传的工作簿不得超过 {limit}", f"The workbook is too large: at most {limit}")
    stream.seek(0)
    head = stream.read(4)
    stream.seek(0)
    if head != ZIP_MAGIC:
        _not_a_workbook()
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            unzipped = sum(member.file_size for member in members)
    except (zipfile.BadZipFile, OSError, ValueError):
        _not_a_workbook()
    finally:
        stream.seek(0)
    if "[Content_Types].xml" not in names or not any(name.startswith("xl/") for name in names):
        _not_a_workbook()
    # The sizes in the ZIP directory are what the archive claims; openpyxl's zipfile stops at them when reading.
    if unzipped > max_unzipped:
        _refuse(
            "工作簿解压后过大，拒绝读取",
            "The workbook is too large once unzipped; refused",
        )

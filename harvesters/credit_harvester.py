"""``hlj_credit``: 双公示 exchange files of the enterprise credit system → the departments' credit publications.

Gather reads each new exchange file — from the source URL, or every file in the source's drop folder (under
``ckanext.hlj.harvest.drop_root``) — streaming, in CSV, XLSX, JSON or XML, with XK_*/CF_* or the older Chinese
column names; the kind (许可 / 处罚) comes from the columns unless the config names it. The rows are cut into
chunks of ``chunk_size`` (default 5,000) and each chunk is one harvest object, so a 10⁶-row file is ~200 objects
rather than 10⁶. Import validates every row of a chunk (USCC, dates, required fields …) and upserts the good
ones into the organisation's ``credit-publication`` tables in one transaction (:mod:`ckanext.hlj.credit.store`);
every bad row becomes an object error naming the file, row and reason, and never blocks the good ones.

A file is recognised by its SHA-256: one already gathered is not read again. Config (JSON, all optional)::

    {"kind": "penalty", "publication": "gat-xzcf", "drop_folder": "/srv/hlj/credit/gat",
     "chunk_size": 5000, "format": "csv", "max_bytes": 1073741824}
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.model import HarvestJob, HarvestObject

from ckanext.hlj.catalogue import credit
from ckanext.hlj.catalogue.errors import InvalidValue
from ckanext.hlj.credit import publication, store

from . import state
from .base import UNCHANGED, HljHarvester
from .http import Fetcher, FetchPolicy

log = logging.getLogger(__name__)

DATASET_TYPE = "credit-publication"
FORMATS = ("csv", "xlsx", "json", "jsonl", "ndjson", "xml")
DEFAULT_CHUNK = 5000
MAX_CHUNK = 50000
MAX_ERRORS_PER_CHUNK = 200  # object errors recorded per chunk; the rest are counted in one summary error
DEFAULT_MAX_BYTES = 1 << 30


def _error(key: str, zh: str, en: str) -> InvalidValue:
    return InvalidValue(f"credit_config_{key}", f"配置项 {key} {zh}", f"Config key {key} {en}")


@dataclass(frozen=True)
class CreditConfig:
    kind: str | None = None
    publication: str | None = None
    drop_folder: str | None = None
    chunk_size: int = DEFAULT_CHUNK
    format: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES


def config_errors(raw: str | None) -> tuple[CreditConfig | None, list[InvalidValue]]:
    try:
        data = json.loads(raw) if raw and raw.strip() else {}
    except ValueError as error:
        return None, [
            InvalidValue("credit_config_json", f"配置不是有效的 JSON：{error}", f"Not valid JSON: {error}")
        ]
    if not isinstance(data, dict):
        return None, [
            InvalidValue("credit_config_json", "配置必须是 JSON 对象", "The config must be a JSON object")
        ]
    errors: list[InvalidValue] = []
    known = {"kind", "publication", "drop_folder", "chunk_size", "format", "max_bytes"}
    for key in sorted(set(data) - known):
        errors.append(_error(key, "不是可用的配置项", "is not a known setting"))
    kind = data.get("kind")
    if kind is not None:
        try:
            kind = credit.normalise_kind(kind)
        except InvalidValue:
            errors.append(
                _error("kind", "应为 licensing（许可）或 penalty（处罚）", "must be licensing or penalty")
            )
    chunk = data.get("chunk_size", DEFAULT_CHUNK)
    if not isinstance(chunk, int) or isinstance(chunk, bool) or not 1 <= chunk <= MAX_CHUNK:
        errors.append(
            _error("chunk_size", f"必须是 1 到 {MAX_CHUNK} 之间的整数", f"must be an integer 1–{MAX_CHUNK}")
        )
    fmt = data.get("format")
    if fmt is not None and fmt not in FORMATS:
        errors.append(
            _error("format", f"必须是 {'、'.join(FORMATS)} 之一", f"must be one of {', '.join(FORMATS)}")
        )
    max_bytes = data.get("max_bytes", DEFAULT_MAX_BYTES)
    if not isinstance(max_bytes, int) or isinstance(max_bytes, bool) or max_bytes <= 0:
        errors.append(_error("max_bytes", "必须是正整数", "must be a positive integer"))
    folder = data.get("drop_folder")
    if folder is not None:
        errors += _folder_errors(folder)
    if errors:
        return None, errors
    return (
        CreditConfig(
            kind=kind,
            publication=data.get("publication"),
            drop_folder=folder,
            chunk_size=chunk,
            format=fmt,
            max_bytes=max_bytes,
        ),
        [],
    )


def _folder_errors(folder: object) -> list[InvalidValue]:
    root = tk.config.get("ckanext.hlj.harvest.drop_root")
    if not isinstance(folder, str) or not folder.strip():
        return [_error("drop_folder", "必须是目录路径", "must be a folder path")]
    if not root:
        return [
            _error(
                "drop_folder",
                "不可用：未配置 ckanext.hlj.harvest.drop_root",
                "needs ckanext.hlj.harvest.drop_root",
            )
        ]
    if not _inside(folder, root):
        return [_error("drop_folder", f"必须位于 {root} 之下", f"must be inside {root}")]
    return []


def _inside(folder: str, root: str) -> bool:
    try:
        Path(folder).resolve().relative_to(Path(root).resolve())
    except ValueError:
        return False
    return True


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


class HljCreditHarvester(HljHarvester):
    NAME = "hlj_credit"
    TITLE = "信用信息系统双公示 (enterprise credit system, 双公示)"
    DESCRIPTION = (
        "采集信用信息共享平台的行政许可、行政处罚决定交换文件（CSV、XLSX、JSON、XML），校验后写入部门的双公示数据表 / "
        "Loads licensing and penalty decision exchange files into the departments' credit publications"
    )

    def check_config(self, config: str | None) -> list[InvalidValue]:
        return config_errors(config)[1]

    @staticmethod
    def _config(raw: str | None) -> CreditConfig:
        config, errors = config_errors(raw)
        if errors:
            raise errors[0]
        assert config is not None
        return config

    # Gather

    def gather(self, harvest_job: HarvestJob) -> list[str]:
        source = harvest_job.source
        config = self._config(source.config)
        ids: list[str] = []
        for name, opener in self._files(source, config):
            with opener() as stream:
                digest = _sha256(stream)
                if state.get(source.id, f"file:{digest}") is not None:
                    log.info("hlj_credit %s: %s already loaded", source.url, name)
                    continue
                try:
                    ids += self._chunks(harvest_job, config, name, digest, stream)
                except InvalidValue as error:
                    self.gather_error(harvest_job, f"{name}：{self.describe(error)}")
                    continue
            state.put(source.id, f"file:{digest}", name)
        log.info("hlj_credit %s: %d chunk objects", source.url, len(ids))
        return ids

    def _files(self, source: Any, config: CreditConfig) -> Iterator[tuple[str, Any]]:
        if config.drop_folder:
            folder = Path(config.drop_folder)
            files = sorted(
                (p for p in folder.iterdir() if p.is_file() and p.suffix.lower().lstrip(".") in FORMATS),
                key=lambda p: (p.stat().st_mtime, p.name),
            )
            for path in files:
                yield path.name, lambda path=path: open(path, "rb")
            return
        url = source.url.strip()
        policy = dataclasses.replace(FetchPolicy.from_config(tk.config), max_bytes=config.max_bytes)
        with Fetcher(policy) as fetcher:
            response = fetcher.get(url)
        spool = tempfile.SpooledTemporaryFile(max_size=64 << 20)
        spool.write(response.content)
        spool.seek(0)
        name = os.path.basename(url.split("?", 1)[0]) or url
        yield name, lambda: spool

    def _chunks(
        self, harvest_job: HarvestJob, config: CreditConfig, name: str, digest: str, stream: IO[bytes]
    ) -> list[str]:
        fmt = config.format or (name.rsplit(".", 1)[-1].lower() if "." in name else None)
        table = credit.read_table(stream, filename=name, fmt=fmt if fmt in FORMATS else None)
        kind = config.kind or credit.detect_kind(table.headers)
        ids = []
        chunk: list[list[Any]] = []
        index = 0

        def flush() -> None:
            nonlocal chunk, index
            content = json.dumps(
                {"file": name, "sha256": digest, "kind": kind, "rows": chunk},
                ensure_ascii=False,
                default=_json_value,
            )
            obj = self.new_object(harvest_job, f"{digest[:16]}:{index:05d}", content, file=name, kind=kind)
            ids.append(obj.id)
            chunk, index = [], index + 1

        for number, row in table.rows:
            chunk.append([number, row])
            if len(chunk) >= config.chunk_size:
                flush()
        if chunk:
            flush()
        return ids

    # Import

    def import_(self, harvest_object: HarvestObject) -> bool | str:
        config = self._config(harvest_object.source.config)
        data = json.loads(harvest_object.content or "{}")
        kind, name = data.get("kind"), data.get("file", "")
        package = self._publication_package(harvest_object, config, kind)
        pub = publication.prepare(package)
        report = store.load(
            pub, ((n, row) for n, row in data.get("rows", [])), defaults=publication.defaults(package, kind)
        )
        lang = self._lang()
        for error in report.errors[:MAX_ERRORS_PER_CHUNK]:
            self.object_error(
                harvest_object,
                f"{name} 第{error.row}行 {error.field}：{error.error.message(lang)}",
                line=error.row,
            )
        if report.error_count > MAX_ERRORS_PER_CHUNK:
            rest = report.error_count - MAX_ERRORS_PER_CHUNK
            self.object_error(
                harvest_object, f"{name}：本批另有 {rest} 处错误未逐条列出 ({rest} more errors in this chunk)"
            )
        if report.inserted or report.updated:
            publication.touch(pub.resource_id)
        harvest_object.package_id = package["id"]
        self.make_current(harvest_object, package["id"])
        log.info(
            "hlj_credit %s chunk %s: %d rows, %d inserted, %d updated, %d unchanged, %d bad",
            name,
            harvest_object.guid,
            report.rows,
            report.inserted,
            report.updated,
            report.unchanged,
            report.error_count,
        )
        if report.valid == 0 and report.rows:
            return False
        return True if (report.inserted or report.updated or report.error_count) else UNCHANGED

    @staticmethod
    def _lang() -> str:
        from ckanext.hlj.harvesters.base import language  # noqa: PLC0415

        return language()

    def _publication_package(
        self, harvest_object: HarvestObject, config: CreditConfig, kind: str
    ) -> dict[str, Any]:
        """The credit publication the rows go to: the configured one, else the organisation's one of this kind
        (created, named ``<organisation>-<kind>``, when it has none)."""
        context = {"user": self.site_user(), "ignore_auth": True}
        if config.publication:
            return tk.get_action("package_show")(context, {"id": config.publication})
        owner_org = model.Package.get(harvest_object.source.id).owner_org
        found = tk.get_action("package_search")(
            context,
            {
                "fq": f'+dataset_type:"{DATASET_TYPE}" +owner_org:"{owner_org}" +credit_kind:"{kind}"',
                "include_private": True,
                "rows": 1,
            },
        )["results"]
        if found:
            return tk.get_action("package_show")(context, {"id": found[0]["id"]})
        org = model.Group.get(owner_org)
        info = credit.kind_info(kind)
        return tk.get_action("hlj_credit_publication_create")(
            context,
            {
                "name": f"{org.name}-{kind}"[:100],
                "title": f"{org.title}{info.zh}决定公示",
                "owner_org": owner_org,
                "credit_kind": kind,
            },
        )


def _sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while block := stream.read(1 << 20):
        digest.update(block)
    stream.seek(0)
    return digest.hexdigest()


__all__ = ["CreditConfig", "HljCreditHarvester", "config_errors"]

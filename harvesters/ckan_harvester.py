"""``hlj_ckan``: city and county CKAN portals, harvested into our dataset types with our validation.

A thin subclass of ckanext-harvest's CKAN harvester adding what it lacks: every request goes through
:mod:`.http` (timeouts, retries, the host allow-list and address checks, ``ckan.download_proxy``), stages never
raise or leave the job running, and each remote dataset becomes one of our types — the same type when the remote
portal runs ckanext-hlj too, else ``open-data`` (``dataset_type`` in the source config) — filled from the
source's ``defaults`` where the remote lacks a required field and validated by our schema like any other record,
owned by the source's organisation.

Example source config::

    {"dataset_type": "open-data",
     "defaults": {"data_domain": "public_service", "open_type": "unconditional", "update_frequency": "irregular"},
     "allowed_hosts": ["data.harbin.example.cn"]}
"""

from __future__ import annotations

import json
import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.harvesters.ckanharvester import CKANHarvester, ContentFetchError

from .base import HljHarvester, utcnow
from .http import Fetcher, FetchError, FetchPolicy

log = logging.getLogger(__name__)

OUR_TYPES = ("disclosure", "service-item", "open-data", "policy")
DEFAULT_TYPE = "open-data"
OUR_KEYS = ("dataset_type", "defaults", "allowed_hosts")
# CKAN's own fields a remote dataset brings along unchanged; everything else is dropped unless our type has it.
CORE_FIELDS = ("title", "notes", "tags", "resources", "url", "version", "license_id", "extras")


class HljCkanHarvester(CKANHarvester):
    # CKAN's SingletonPlugin keeps its instance in ``cls._instance``, which a subclass would inherit: without an
    # attribute of its own, loading this plugin hands back the stock harvester's instance.
    def __new__(cls, *args: Any, **kwargs: Any):
        if "_instance" not in cls.__dict__:
            cls._instance = object.__new__(cls)
        return cls._instance

    def info(self) -> dict[str, str]:
        return {
            "name": "hlj_ckan",
            "title": "市县 CKAN 门户 (city/county CKAN portal)",
            "description": (
                "采集市县 CKAN 数据门户的数据集，映射为本平台的数据类型并校验 / "
                "Harvests city and county CKAN portals into this platform's dataset types, validated"
            ),
            "form_config_interface": "Text",
        }

    def validate_config(self, config: str | None) -> str:
        config = super().validate_config(config)
        data = json.loads(config) if config else {}
        dataset_type = data.get("dataset_type", DEFAULT_TYPE)
        if dataset_type not in OUR_TYPES:
            raise ValueError(
                f"dataset_type 必须是 {' / '.join(OUR_TYPES)} 之一 (dataset_type must be one of these)"
            )
        if not isinstance(data.get("defaults", {}), dict):
            raise ValueError("defaults 必须是对象 (defaults must be an object of field: value)")
        hosts = data.get("allowed_hosts", [])
        if not isinstance(hosts, list) or not all(isinstance(h, str) for h in hosts):
            raise ValueError("allowed_hosts 必须是主机名列表 (allowed_hosts must be a list of host names)")
        return config

    # Requests through our client

    def _get_content(self, url: str) -> str:
        headers = {}
        if self.config.get("api_key"):
            headers["Authorization"] = self.config["api_key"]
        policy = FetchPolicy.from_config(tk.config, extra_hosts=self.config.get("allowed_hosts", []))
        try:
            with Fetcher(policy) as fetcher:
                response = fetcher.get(url, headers=headers, accept="application/json")
        except FetchError as error:
            raise ContentFetchError(error.message("zh_Hans_CN")) from None
        return response.content.decode("utf-8", errors="replace")

    @classmethod
    def _get_user_name(cls) -> str:
        # The stock one caches the name on the class for the life of the process.
        return HljHarvester.site_user()

    # Stages that end

    def gather_stage(self, harvest_job: Any) -> list[str]:
        try:
            ids = super().gather_stage(harvest_job)
        except Exception as error:
            log.exception("hlj_ckan: gather of job %s failed", harvest_job.id)
            model.Session.rollback()
            ids, message = None, HljHarvester.describe(error)
            HljHarvester.gather_error(harvest_job, message)
        if ids is None:  # the stock gather saved its error and gave up: finish the job now
            job = type(harvest_job).get(harvest_job.id) or harvest_job
            job.status, job.finished = "Finished", utcnow()
            job.save()
            return []
        return ids

    def fetch_stage(self, harvest_object: Any) -> bool:
        return True

    def import_stage(self, harvest_object: Any) -> bool | str:
        try:
            return super().import_stage(harvest_object)
        except Exception as error:
            log.exception("hlj_ckan: import of object %s failed", harvest_object.id)
            model.Session.rollback()
            HljHarvester.object_error(
                harvest_object, f"{harvest_object.guid}：{HljHarvester.describe(error)}"
            )
            return False

    # Mapping into our types

    def modify_package_dict(self, package_dict: dict[str, Any], harvest_object: Any) -> dict[str, Any]:
        remote_type = package_dict.get("type")
        dataset_type = (
            remote_type if remote_type in OUR_TYPES else self.config.get("dataset_type", DEFAULT_TYPE)
        )
        schema = _schema_fields(dataset_type)
        mapped = {k: v for k, v in package_dict.items() if k in CORE_FIELDS or k in schema}
        mapped.update(id=package_dict["id"], name=package_dict["name"], type=dataset_type)
        for name, value in self.config.get("defaults", {}).items():
            if name in schema and not mapped.get(name):
                mapped[name] = value
        if dataset_type == "open-data":
            mapped.setdefault("resource_code", f"{package_dict.get('name')}")
            if not mapped.get("notes"):
                mapped["notes"] = package_dict.get("title") or package_dict.get("name")
        mapped["owner_org"] = package_dict.get("owner_org")
        # Our publication rules decide visibility; remote review state means nothing here.
        mapped.pop("review_status", None)
        mapped.pop("private", None)
        return mapped


def _schema_fields(dataset_type: str) -> set[str]:
    from ckanext.scheming.helpers import scheming_get_dataset_schema  # noqa: PLC0415

    schema = scheming_get_dataset_schema(dataset_type) or {}
    return {f["field_name"] for f in schema.get("dataset_fields", [])}

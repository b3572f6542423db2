"""What every hlj harvester shares: stages that never raise, errors that name the record, the site user.

ckanext-harvest lets an exception escape a stage: a gather that raises kills the gather consumer and leaves its
job "Running"; an import that raises kills the fetch consumer with the object stuck in IMPORT. Our harvesters
implement :meth:`gather`, :meth:`fetch` and :meth:`import_` and this base class turns anything they raise into a
gather error (and a finished job) or an object error naming the record, so one bad page or row never stops the
others and the job always ends.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject, HarvestObjectError

from ckanext.hlj.catalogue.errors import InvalidValue

log = logging.getLogger(__name__)

UNCHANGED = "unchanged"  # what ckanext-harvest expects a stage to return for "nothing to do"


def language() -> str:
    from ckanext.hlj.logic.validators import request_language  # noqa: PLC0415

    return request_language()


def utcnow() -> dt.datetime:
    """Naive UTC, as ckanext-harvest stores its times."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class HljHarvester(HarvesterBase):
    """Base of the hlj harvesters: subclasses set ``NAME``, ``TITLE``, ``DESCRIPTION`` and implement
    :meth:`check_config`, :meth:`gather`, :meth:`fetch` and :meth:`import_`."""

    NAME = ""
    TITLE = ""
    DESCRIPTION = ""

    # IHarvester

    def info(self) -> dict[str, str]:
        return {"name": self.NAME, "title": self.TITLE, "description": self.DESCRIPTION}

    def validate_config(self, config: str | None) -> str:
        """Refuse a bad source config when the source is saved: ckanext-harvest shows the message on the form
        and in the API's 409, so it lists every problem, in the request's language."""
        errors = self.check_config(config)
        if errors:
            lang = language()
            raise ValueError("；".join(e.message(lang) for e in errors))
        return config or ""

    def gather_stage(self, harvest_job: HarvestJob) -> list[str]:
        try:
            return self.gather(harvest_job)
        except Exception as error:  # a gather must end with its job finished and its reason shown
            log.exception("%s: gather of job %s failed", self.NAME, harvest_job.id)
            model.Session.rollback()
            self.fail_job(harvest_job, self.describe(error))
            return []

    def fetch_stage(self, harvest_object: HarvestObject) -> bool | str:
        try:
            return self.fetch(harvest_object)
        except Exception as error:
            log.exception("%s: fetch of object %s failed", self.NAME, harvest_object.id)
            model.Session.rollback()
            self.object_error(harvest_object, self.describe(error), "Fetch")
            return False

    def import_stage(self, harvest_object: HarvestObject) -> bool | str:
        try:
            return self.import_(harvest_object)
        except Exception as error:
            log.exception("%s: import of object %s failed", self.NAME, harvest_object.id)
            model.Session.rollback()
            self.object_error(harvest_object, self.describe(error), "Import")
            return False

    # For subclasses

    def check_config(self, config: str | None) -> list[InvalidValue]:
        return []

    def gather(self, harvest_job: HarvestJob) -> list[str]:
        raise NotImplementedError

    def fetch(self, harvest_object: HarvestObject) -> bool | str:
        return True

    def import_(self, harvest_object: HarvestObject) -> bool | str:
        raise NotImplementedError

    # Helpers

    @staticmethod
    def describe(error: BaseException) -> str:
        message = getattr(error, "message", None)
        if callable(message):
            try:
                return str(message(language()))
            except TypeError:
                pass
        return f"{type(error).__name__}: {error}"

    @staticmethod
    def site_user() -> str:
        # Not HarvesterBase._get_user_name: it caches the name on the class for the life of the process.
        return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]

    @staticmethod
    def gather_error(harvest_job: HarvestJob, message: str) -> None:
        HarvestGatherError(message=message, job=harvest_job).save()

    def fail_job(self, harvest_job: HarvestJob, message: str) -> None:
        """Record why the gather failed and finish the job now (never leave it "Running")."""
        self.gather_error(harvest_job, message)
        job = HarvestJob.get(harvest_job.id) or harvest_job
        job.status = "Finished"
        job.finished = utcnow()
        job.save()

    @staticmethod
    def object_error(
        harvest_object: HarvestObject, message: str, stage: str = "Import", line: int | None = None
    ):
        HarvestObjectError(object=harvest_object, message=message, stage=stage, line=line).save()

    @staticmethod
    def current_objects(source_id: str) -> dict[str, HarvestObject]:
        """The source's current objects by guid: what earlier runs imported."""
        query = model.Session.query(HarvestObject).filter(
            HarvestObject.harvest_source_id == source_id,
            HarvestObject.current == True,  # noqa: E712
        )
        return {obj.guid: obj for obj in query}

    @staticmethod
    def new_object(
        harvest_job: HarvestJob, guid: str, content: str | None = None, **extras: Any
    ) -> HarvestObject:
        from ckanext.harvest.model import HarvestObjectExtra  # noqa: PLC0415

        obj = HarvestObject(guid=guid, job=harvest_job, content=content)
        obj.extras = [HarvestObjectExtra(key=k, value=str(v)) for k, v in extras.items() if v is not None]
        obj.save()
        return obj

    @staticmethod
    def extra(harvest_object: HarvestObject, key: str, default: str | None = None) -> str | None:
        for item in harvest_object.extras:
            if item.key == key:
                return item.value
        return default

    @staticmethod
    def make_current(harvest_object: HarvestObject, package_id: str | None) -> None:
        """This object now stands for the record: earlier objects of the same guid stop being current."""
        previous = model.Session.query(HarvestObject).filter(
            HarvestObject.guid == harvest_object.guid,
            HarvestObject.harvest_source_id == harvest_object.harvest_source_id,
            HarvestObject.current == True,  # noqa: E712
            HarvestObject.id != harvest_object.id,
        )
        for obj in previous:
            obj.current = False
            obj.add()
        harvest_object.current = True
        if package_id:
            harvest_object.package_id = package_id
        harvest_object.add()
        model.Session.commit()

    @staticmethod
    def validation_message(error: tk.ValidationError) -> str:
        """A package validation error as one line: field: messages; field: messages."""
        parts = []
        for field, messages in (error.error_dict or {}).items():
            if isinstance(messages, list):
                text = "，".join(str(m) for m in messages if isinstance(m, str)) or str(messages)
            else:
                text = str(messages)
            parts.append(f"{field}: {text}")
        return "; ".join(parts) or str(error)

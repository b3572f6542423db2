"""``hlj_site``: the 信息公开 columns of department and city/county websites → ``policy`` datasets.

Gather walks the column's list pages (HTML with 下一页 / ``index_N.html`` paging, an RSS/Atom feed, or a JSON list
API — :mod:`.site.config`) and makes one harvest object per new or changed item. A routine run stops paging at
the first page whose items are all known and unchanged; every ``full_crawl_days`` a full crawl walks every page,
re-checks known items with conditional requests and withdraws (marks, never deletes) items the source no longer
lists — ckanext-dcat's deletion pattern, with a mark instead of a delete. Fetch downloads the detail page through
:mod:`.http` (allow-list, address checks, timeouts, retries, size cap, per-host rate limit, proxy). Import parses
it (:mod:`.site.detail`, :mod:`.site.mapping`) and creates or updates the record as the site user, owned by the
source's organisation; the body is kept as plain text, so harvested HTML never reaches a page.

Guids: the item's 索引号 where the page has one, else its URL. Gather only knows URLs, so a new item starts with
its URL as guid and import renames it to the 索引号; an item whose URL changed but whose 索引号 did not updates the
same record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.model import HarvestJob, HarvestObject

from ckanext.hlj.catalogue.dates import SHANGHAI
from ckanext.hlj.catalogue.errors import InvalidValue
from ckanext.hlj.reprint import SCOPE_TAG

from . import state
from .base import UNCHANGED, HljHarvester
from .http import Fetcher, FetchError, FetchPolicy
from .site.config import SiteConfig, config_errors, validate_config
from .site.detail import parse_detail_page
from .site.encoding import decode_html, decode_with
from .site.feeds import parse_feed, parse_json_list
from .site.listing import ListEntry, parse_list_page
from .site.mapping import attachment_resources, policy_fields

log = logging.getLogger(__name__)

DATASET_TYPE = "policy"
FULL_CRAWL_KEY = "last_full_crawl"
NEW, CHANGED, RECHECK, WITHDRAW = "new", "changed", "recheck", "withdraw"
MAX_ATTEMPTS = 5  # runs in which a failing item is tried before only the full crawl tries it again
# Fields a harvest owns on a record; anything else (set by a person) is left as it is on update.
HARVESTED_FIELDS = (
    "title",
    "doc_number",
    "issuer",
    "written_date",
    "index_no",
    "policy_topic",
    "validity",
    "source_url",
    "source_published_at",
    "notes",
    "tag_string",
    "policy_role",
)


def shanghai_now() -> dt.datetime:
    return dt.datetime.now(SHANGHAI).replace(microsecond=0)


class HljSiteHarvester(HljHarvester):
    NAME = "hlj_site"
    TITLE = "政府网站信息公开栏目 (government website disclosure column)"
    DESCRIPTION = (
        "采集部门和市县政府网站信息公开栏目（HTML 列表页、RSS/Atom、JSON 接口）中的政策文件 / "
        "Harvests policy documents from government websites' disclosure columns (HTML lists, RSS/Atom, JSON APIs)"
    )

    # Configuration

    def check_config(self, config: str | None) -> list[InvalidValue]:
        return config_errors(config or "")

    @staticmethod
    def _config(source_config: str | None) -> SiteConfig:
        return validate_config(source_config or "")

    @staticmethod
    def _fetcher(config: SiteConfig) -> Fetcher:
        return Fetcher(FetchPolicy.from_config(tk.config, extra_hosts=config.allowed_hosts))

    # Gather

    def gather(self, harvest_job: HarvestJob) -> list[str]:
        source = harvest_job.source
        config = self._config(source.config)
        full = self._full_crawl_due(source.id, config)
        known = self.current_objects(source.id)
        by_url = {self.extra(obj, "url"): obj for obj in known.values() if self.extra(obj, "url")}
        seen: set[str] = set()
        ids: list[str] = []
        with self._fetcher(config) as fetcher:
            complete = True
            for entries, page_url in self._pages(harvest_job, fetcher, config, full, by_url):
                if page_url is None:  # the walk stopped early on an error: no withdrawals from this crawl
                    complete = False
                    continue
                for entry in entries:
                    if entry.url in seen:
                        continue  # the same item listed twice (on two pages, or twice on one)
                    seen.add(entry.url)
                    if not self._may_fetch(fetcher, entry.url):
                        log.info("hlj_site %s: %s is off the allowed hosts, skipped", source.url, entry.url)
                        continue
                    previous = by_url.get(entry.url)
                    status = self._status(previous, entry, full)
                    if status is None:
                        continue
                    obj = self.new_object(
                        harvest_job,
                        previous.guid if previous is not None else entry.url,
                        status=status,
                        url=entry.url,
                        title=entry.title,
                        list_date=entry.date.isoformat() if entry.date else None,
                        etag=self.extra(previous, "etag") if previous is not None else None,
                        last_modified=self.extra(previous, "last_modified") if previous is not None else None,
                    )
                    ids.append(obj.id)
        ids += self._retries(harvest_job, known, seen)
        if full and complete:
            ids += self._withdrawals(harvest_job, known, seen)
            state.put(source.id, FULL_CRAWL_KEY)
        log.info("hlj_site %s: %d objects (%s crawl)", source.url, len(ids), "full" if full else "routine")
        return ids

    @staticmethod
    def _may_fetch(fetcher: Fetcher, url: str) -> bool:
        from urllib.parse import urlsplit  # noqa: PLC0415

        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and fetcher.policy.host_allowed(
            parts.hostname or "", parts.port
        )

    @staticmethod
    def _full_crawl_due(source_id: str, config: SiteConfig) -> bool:
        last = state.get(source_id, FULL_CRAWL_KEY)
        if last is None:
            return True
        return dt.datetime.now(dt.UTC) - last[1] >= dt.timedelta(days=config.full_crawl_days)

    def _status(self, previous: HarvestObject | None, entry: ListEntry, full: bool) -> str | None:
        if previous is None:
            return NEW
        if self.extra(previous, "status") == WITHDRAW:
            return CHANGED  # listed again: bring it back
        listed = entry.date.isoformat() if entry.date else None
        if listed != self.extra(previous, "list_date") or entry.title != self.extra(previous, "title"):
            return CHANGED
        return RECHECK if full else None

    def _reached_known(self, entries: list[ListEntry], by_url: dict[str, HarvestObject]) -> bool:
        """Whether the page ends with an item an earlier run imported unchanged: columns list newest first, so
        the pages after it hold older, known items. (Its last item, not its first: a pinned item at the top of
        a column is old and known, yet new items follow it.)"""
        if not entries:
            return False
        last = entries[-1]
        return last.url in by_url and self._status(by_url[last.url], last, full=False) is None

    def _pages(
        self,
        harvest_job: HarvestJob,
        fetcher: Fetcher,
        config: SiteConfig,
        full: bool,
        by_url: dict[str, HarvestObject],
    ) -> Iterator[tuple[list[ListEntry], str | None]]:
        """(entries, page URL) per list page, newest first; (…, None) after an error that cut the walk short.

        The first page failing fails the gather (the job ends with the error); a later page failing keeps what
        was found so far. A routine run stops at the first page of known, unchanged items.
        """
        url: str | None = harvest_job.source.url.strip()
        visited: set[str] = set()
        page = 0
        while url:
            if page >= config.max_pages:
                self.gather_error(harvest_job, f"已达到最大页数 {config.max_pages}，其余页未采集 ({url})")
                return
            if url in visited:
                self.gather_error(harvest_job, f"翻页回到了已访问的页面，停止翻页：{url} (pagination loop)")
                return
            visited.add(url)
            try:
                entries, next_url = self._read_list(fetcher, config, url)
            except (FetchError, InvalidValue) as error:
                if page == 0:
                    raise
                self.gather_error(harvest_job, f"列表页 {url} 采集失败：{self.describe(error)}")
                yield [], None
                return
            page += 1
            yield entries, url
            if not full and self._reached_known(entries, by_url):
                return  # reached what earlier runs imported
            url = next_url

    def _read_list(
        self, fetcher: Fetcher, config: SiteConfig, url: str
    ) -> tuple[list[ListEntry], str | None]:
        response = fetcher.get(url)
        if config.mode == "rss":
            feed = parse_feed(response.content, response.url)
            return [
                ListEntry(e.url, e.title, e.published_at.date() if e.published_at else None) for e in feed
            ], None
        if config.mode == "json":
            try:
                data = json.loads(response.content)
            except ValueError as error:
                raise InvalidValue(
                    "site_json_invalid",
                    f"JSON 列表接口返回的不是有效 JSON：{error}",
                    f"Not valid JSON: {error}",
                ) from None
            return parse_json_list(data, config.json_paths, response.url)
        text = self._decode(response, config)
        page = parse_list_page(text, response.url, config.list_selectors)
        return page.entries, page.next_url

    @staticmethod
    def _decode(response: Any, config: SiteConfig) -> str:
        if config.encoding:
            return decode_with(response.content, config.encoding)[0]
        return decode_html(response.content, response.headers.get("Content-Type"))[0]

    def _retries(self, harvest_job: HarvestJob, known: dict[str, HarvestObject], seen: set[str]) -> list[str]:
        """Items whose fetch or import failed in an earlier run and never succeeded since: tried again, wherever
        they are listed (a routine run may stop paging before it reaches them), at most MAX_ATTEMPTS times."""
        from sqlalchemy import func  # noqa: PLC0415

        failed = (
            model.Session.query(HarvestObject.guid, func.count(HarvestObject.id))
            .filter(
                HarvestObject.harvest_source_id == harvest_job.source.id,
                HarvestObject.state == "ERROR",
                HarvestObject.harvest_job_id != harvest_job.id,
            )
            .group_by(HarvestObject.guid)
        )
        ids = []
        for guid, attempts in failed:
            if guid in known or attempts >= MAX_ATTEMPTS:
                continue
            last = (
                model.Session.query(HarvestObject)
                .filter(HarvestObject.harvest_source_id == harvest_job.source.id, HarvestObject.guid == guid)
                .order_by(HarvestObject.gathered.desc())
                .first()
            )
            url = self.extra(last, "url") if last is not None else None
            if not url or url in seen or self.extra(last, "status") == WITHDRAW:
                continue
            seen.add(url)
            obj = self.new_object(harvest_job, guid, status=NEW, url=url, title=self.extra(last, "title"))
            ids.append(obj.id)
        return ids

    def _withdrawals(
        self, harvest_job: HarvestJob, known: dict[str, HarvestObject], seen: set[str]
    ) -> list[str]:
        ids = []
        for guid, obj in known.items():
            url = self.extra(obj, "url")
            if url in seen or self.extra(obj, "status") == WITHDRAW or not obj.package_id:
                continue
            withdrawn = self.new_object(
                harvest_job, guid, status=WITHDRAW, url=url, title=self.extra(obj, "title")
            )
            ids.append(withdrawn.id)
        return ids

    # Fetch

    def fetch(self, harvest_object: HarvestObject) -> bool | str:
        if self.extra(harvest_object, "status") == WITHDRAW:
            return True
        config = self._config(harvest_object.source.config)
        url = self.extra(harvest_object, "url") or harvest_object.guid
        conditional = self.extra(harvest_object, "status") == RECHECK
        try:
            with self._fetcher(config) as fetcher:
                response = fetcher.get(
                    url,
                    etag=self.extra(harvest_object, "etag") if conditional else None,
                    last_modified=self.extra(harvest_object, "last_modified") if conditional else None,
                )
        except FetchError as error:
            self.object_error(
                harvest_object, f"{self._record(harvest_object)}：{self.describe(error)}", "Fetch"
            )
            return False
        if response.not_modified:
            return UNCHANGED
        harvest_object.content = json.dumps(
            {
                "url": response.url,
                "html": self._decode(response, config),
                "etag": response.etag,
                "last_modified": response.last_modified,
            },
            ensure_ascii=False,
        )
        harvest_object.save()
        return True

    def _record(self, harvest_object: HarvestObject) -> str:
        title = self.extra(harvest_object, "title") or ""
        url = self.extra(harvest_object, "url") or harvest_object.guid
        return f"《{title}》 {url}" if title else url

    # Import

    def import_(self, harvest_object: HarvestObject) -> bool | str:
        if self.extra(harvest_object, "status") == WITHDRAW:
            return self._withdraw(harvest_object)
        if not harvest_object.content:
            self.object_error(
                harvest_object, f"{self._record(harvest_object)}：没有采集到内容 (empty content)"
            )
            return False
        source = harvest_object.source
        config = self._config(source.config)
        page = json.loads(harvest_object.content)
        doc = parse_detail_page(page["html"], page["url"], config.detail_selectors)
        fields, warnings = policy_fields(doc, config)
        existing = self._claim_guid(harvest_object, doc.index_no)
        owner_org = model.Package.get(source.id).owner_org
        name = self._name(owner_org, harvest_object.guid)
        if existing is None:
            existing, name = self._same_document(name, owner_org, harvest_object)
        fields.setdefault("disclosure_attribute", "proactive")  # it was found on a public website
        fields.setdefault("issuer_level", self._issuer_level(owner_org))
        fields.setdefault("private", False)  # the platform's rules still decide (review, 公开属性)
        for warning in [*warnings, *doc.warnings]:
            if warning.split(":", 1)[0] not in fields:  # not the gaps the defaults above just filled
                log.info("hlj_site %s: %s", page["url"], warning)
        context = {"user": self.site_user(), "ignore_auth": True}
        record = f"《{doc.title or self.extra(harvest_object, 'title') or ''}》 {page['url']}"
        self._remember_validators(harvest_object, page)
        try:
            if existing is None:
                data = {
                    **fields,
                    "type": DATASET_TYPE,
                    "owner_org": owner_org,
                    "name": name,
                    "first_seen_at": shanghai_now().isoformat(),
                    "resources": attachment_resources(doc),
                }
                package = tk.get_action("package_create")(context, data)
            else:
                changes = self._changes(existing, fields, doc)
                if not changes:
                    self.make_current(harvest_object, existing["id"])
                    return UNCHANGED
                package = tk.get_action("package_patch")(context, {"id": existing["id"], **changes})
        except tk.ValidationError as error:
            model.Session.rollback()
            self.object_error(harvest_object, f"{record}：{self.validation_message(error)}")
            return False
        self.make_current(harvest_object, package["id"])
        return True

    def _remember_validators(self, harvest_object: HarvestObject, page: dict[str, Any]) -> None:
        """Keep the response's ETag / Last-Modified on the object, for the next full crawl's conditional GET."""
        from ckanext.harvest.model import HarvestObjectExtra  # noqa: PLC0415

        for key in ("etag", "last_modified"):
            value = page.get(key)
            if not value:
                continue
            for item in harvest_object.extras:
                if item.key == key:
                    item.value = value
                    break
            else:
                harvest_object.extras.append(HarvestObjectExtra(key=key, value=value))
        harvest_object.add()

    def _claim_guid(self, harvest_object: HarvestObject, index_no: str | None) -> dict[str, Any] | None:
        """Switch the object's guid to the 索引号 when the page has one; the record it updates, if any."""
        source_id = harvest_object.harvest_source_id
        candidates = [harvest_object.guid]
        if index_no and index_no != harvest_object.guid:
            candidates.insert(0, index_no)
        package_id = None
        for guid in candidates:
            current = (
                model.Session.query(HarvestObject)
                .filter(
                    HarvestObject.harvest_source_id == source_id,
                    HarvestObject.guid == guid,
                    HarvestObject.current == True,  # noqa: E712
                    HarvestObject.package_id.isnot(None),
                )
                .first()
            )
            if current is not None:
                package_id = current.package_id
                break
        if index_no and harvest_object.guid != index_no:
            self._retire(harvest_object, harvest_object.guid)
            harvest_object.guid = index_no
            harvest_object.add()
        if package_id is None:
            return None
        try:
            package = tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id})
        except tk.ObjectNotFound:
            return None
        return package if package.get("state") == "active" else None

    @staticmethod
    def _retire(harvest_object: HarvestObject, guid: str) -> None:
        # The URL-guid object of an item now known by its 索引号 stops being current, so it is not withdrawn later.
        for obj in model.Session.query(HarvestObject).filter(
            HarvestObject.harvest_source_id == harvest_object.harvest_source_id,
            HarvestObject.guid == guid,
            HarvestObject.current == True,  # noqa: E712
        ):
            obj.current = False
            obj.add()

    @staticmethod
    def _same_document(
        name: str, owner_org: str, harvest_object: HarvestObject
    ) -> tuple[dict[str, Any] | None, str]:
        """The record another source of the same organisation made for this document (same 索引号 or URL, hence
        the same name), which this one then updates rather than duplicates; else the name to create."""
        package = model.Package.get(name)
        if package is None:
            return None, name
        if package.owner_org == owner_org and package.type == DATASET_TYPE and package.state == "active":
            return tk.get_action("package_show")({"ignore_auth": True}, {"id": package.id}), name
        suffix = hashlib.sha1(harvest_object.harvest_source_id.encode()).hexdigest()[:6]
        return None, f"{name[:93]}-{suffix}"

    @staticmethod
    def _issuer_level(owner_org: str) -> str:
        """The level of the site's own organisation, for documents whose page does not say (a source's
        ``policy_defaults`` may set it)."""
        org = model.Group.get(owner_org)
        extras = org.extras if org is not None else {}
        level, kind = extras.get("admin_level"), extras.get("org_kind")
        if level == "national":
            return "state_council"
        if level == "province":
            return "provincial_government" if kind == "government" else "provincial_department"
        return "city_county"

    @staticmethod
    def _name(owner_org: str, guid: str) -> str:
        org = model.Group.get(owner_org)
        digest = hashlib.sha1(guid.encode("utf-8")).hexdigest()[:12]
        return f"{org.name if org else 'site'}-{digest}"[:100]

    @staticmethod
    def _changes(existing: dict[str, Any], fields: dict[str, Any], doc: Any) -> dict[str, Any]:
        """The harvested fields whose values differ from the stored record (plus clearing a withdrawal)."""
        changes = {}
        for name in HARVESTED_FIELDS:
            if name not in fields:
                continue
            if name == "tag_string":
                # A supervisor's reprint-scope tags (转载范围-…) are not the site's: a re-harvest keeps them.
                kept = [t["name"] for t in existing.get("tags", []) if t["name"].startswith(SCOPE_TAG)]
                wanted = sorted({t for t in fields[name].split(",") if t} | set(kept))
                stored = ",".join(sorted(t["name"] for t in existing.get("tags", [])))
                if stored != ",".join(wanted):
                    changes[name] = ",".join(wanted)
                continue
            if str(existing.get(name) or "") != str(fields[name] or ""):
                changes[name] = fields[name]
        for name, value in fields.items():
            if name not in HARVESTED_FIELDS and not existing.get(name):
                changes[name] = value  # a default the record lacks
        if existing.get("source_withdrawn_at"):
            changes["source_withdrawn_at"] = ""
        return changes

    def _withdraw(self, harvest_object: HarvestObject) -> bool | str:
        previous = self.current_objects(harvest_object.harvest_source_id).get(harvest_object.guid)
        package_id = previous.package_id if previous is not None else None
        if not package_id:
            return UNCHANGED
        context = {"user": self.site_user(), "ignore_auth": True}
        try:
            tk.get_action("package_patch")(
                context, {"id": package_id, "source_withdrawn_at": shanghai_now().isoformat()}
            )
        except tk.ObjectNotFound:
            return UNCHANGED
        except tk.ValidationError as error:
            model.Session.rollback()
            self.object_error(
                harvest_object, f"{self._record(harvest_object)}：{self.validation_message(error)}"
            )
            return False
        self.make_current(harvest_object, package_id)
        return True

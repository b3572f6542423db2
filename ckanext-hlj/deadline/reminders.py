"""Daily reminders: each organisation's admins get one email listing its records that fall due in the next
``ckanext.hlj.deadline.remind_working_days`` working days and those already overdue, with links, so nothing is
missed quietly. Sent by the jobs worker (``ckan hlj deadline remind --enqueue``, queued daily by the scheduler)
through CKAN's mailer (``smtp.*`` settings). Organisations with nothing due get no email."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.hlj.catalogue import workdays
from ckanext.hlj.deadline.status import INDEX_DUE, INDEX_STATE

log = logging.getLogger(__name__)

PAGE = 1000
JOB_TITLE = "hlj: 公开时限到期提醒 (deadline reminders)"


def _search(fq: str) -> list[dict[str, Any]]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    found: list[dict[str, Any]] = []
    start = 0
    while True:
        result = tk.get_action("package_search")(
            {"user": site_user, "ignore_auth": True},
            {"fq": fq, "rows": PAGE, "start": start, "include_private": True, "sort": "name asc"},
        )
        found += result["results"]
        start += PAGE
        if len(result["results"]) < PAGE:
            return found


def collect(today: dt.date) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """{organisation id: {"due_soon": [...], "overdue": [...]}} of records needing attention."""
    from ckanext.hlj.deadline.status import dataset_status  # noqa: PLC0415

    horizon = workdays.due_workdays(
        today, tk.config.get("ckanext.hlj.deadline.remind_working_days"), provisional=True
    )
    found: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: {"due_soon": [], "overdue": []})
    soon = _search(
        f'+{INDEX_STATE}:"pending" +{INDEX_DUE}:["{today.isoformat()}" TO "{horizon.date.isoformat()}"]'
    )
    late = _search(
        f'+{INDEX_STATE}:("pending" OR "overdue") +{INDEX_DUE}:[* TO "{(today - dt.timedelta(days=1)).isoformat()}"]'
    )
    for key, records in (("due_soon", soon), ("overdue", late)):
        for pkg in records:
            status = dataset_status(pkg) or {}
            found[pkg["owner_org"]][key].append(
                {"name": pkg["name"], "title": pkg["title"], "type": pkg["type"], "due": status.get("due")}
            )
    return found


def _admins(org_id: str) -> list[dict[str, str]]:
    from ckan import model  # noqa: PLC0415

    query = (
        model.Session.query(model.User)
        .join(model.Member, model.Member.table_id == model.User.id)
        .filter(
            model.Member.group_id == org_id,
            model.Member.table_name == "user",
            model.Member.capacity == "admin",
            model.Member.state == "active",
            model.User.state == "active",
        )
    )
    return [{"name": u.display_name, "email": u.email} for u in query if u.email]


def _body(org_title: str, items: dict[str, list[dict[str, Any]]], today: dt.date) -> str:
    site = tk.config.get("ckan.site_url", "").rstrip("/")
    lines = [f"{org_title}：截至 {today.isoformat()} 的公开时限提醒 (deadline reminder)", ""]
    for key, heading in (("overdue", "已超期未公开 Overdue"), ("due_soon", "即将到期 Due soon")):
        if not items[key]:
            continue
        lines.append(f"{heading}（{len(items[key])}）")
        for item in items[key]:
            lines.append(f"  - {item['title']}  到期 due {item['due']}  {site}/{item['type']}/{item['name']}")
        lines.append("")
    lines.append(f"全部情况 All figures: {site}/timeliness")
    return "\n".join(lines)


def send(today: str | None = None) -> dict[str, int]:
    """Email each organisation's admins; returns counts of organisations and emails."""
    from ckan import model  # noqa: PLC0415
    from ckan.lib.mailer import MailerException, mail_recipient  # noqa: PLC0415

    day = dt.date.fromisoformat(today) if today else workdays.today()
    sent = failed = organisations = 0
    for org_id, items in collect(day).items():
        group = model.Group.get(org_id)
        if group is None:
            continue
        organisations += 1
        subject = f"【公开时限提醒】{group.title}：超期 {len(items['overdue'])} 项，即将到期 {len(items['due_soon'])} 项"
        body = _body(group.title, items, day)
        for admin in _admins(org_id):
            try:
                mail_recipient(admin["name"], admin["email"], subject, body)
                sent += 1
            except MailerException:
                log.exception("deadline reminder to %s failed", admin["email"])
                failed += 1
    log.info("deadline reminders: %d organisations, %d emails sent, %d failed", organisations, sent, failed)
    return {"organisations": organisations, "sent": sent, "failed": failed}


def enqueue(today: str | None = None):
    return tk.enqueue_job(send, kwargs={"today": today}, title=JOB_TITLE, rq_kwargs={"timeout": 1800})

"""Run harvest jobs through ckanext-harvest's real Redis queues, the way the gather and fetch consumers do, but
until the queues are empty instead of forever; then `harvester run`'s bookkeeping, which finishes jobs."""

from __future__ import annotations

from typing import Any

from ckan.tests.helpers import call_action
from ckanext.harvest import queue


def purge() -> None:
    queue.purge_queues()


def drain() -> int:
    """Consume the gather queue, then the fetch queue, until both are empty; returns messages handled."""
    handled = 0
    gather = queue.get_gather_consumer()
    fetch = queue.get_fetch_consumer()
    while True:
        method, header, body = gather.basic_get(queue.get_gather_queue_name())
        if body is None:
            break
        queue.gather_callback(gather, method, header, body)
        handled += 1
    while True:
        method, header, body = fetch.basic_get(queue.get_fetch_queue_name())
        if body is None:
            break
        queue.fetch_callback(fetch, method, header, body)
        handled += 1
    return handled


def run_job(source_id: str, user: str) -> dict[str, Any]:
    """Create a job for the source, run it through the queues and return it (finished) with its report."""
    job = call_action("harvest_job_create", context={"user": user}, source_id=source_id, run=True)
    drain()
    call_action("harvest_jobs_run", context={"user": user}, source_id=source_id)
    return call_action("harvest_job_show", context={"user": user}, id=job["id"])


def report(job_id: str, user: str) -> dict[str, Any]:
    return call_action("harvest_job_report", context={"user": user}, id=job_id)

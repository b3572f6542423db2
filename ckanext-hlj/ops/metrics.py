"""Metrics worth watching, in Prometheus' text format (``GET /api/hlj/metrics``, ``ckan hlj metrics``).

- ``hlj_up{check}`` / ``hlj_check_latency_seconds{check}``: the health checks (ckanext-hlj/ops/health.py).
- ``hlj_jobs_queued{queue}``, ``hlj_jobs_workers``, ``hlj_harvest_queue_depth{stage}``,
  ``hlj_harvest_consumers{stage}``, ``hlj_harvest_oldest_waiting_seconds{stage}``: queues and who consumes them.
- ``hlj_harvest_errors_24h{source,stage}``: gather and object errors of the last 24 hours, per harvest source.
- ``hlj_harvest_jobs{status}``: harvest jobs by status (New, Running).
- ``hlj_deadline_overdue{rule}``: obligations past their due day and still unmet, per deadline rule, from the
  indexed statuses (one Solr query).
- ``hlj_search_duration_seconds`` (a summary: ``{quantile}`` over the last ``ckanext.hlj.metrics.search_window``
  searches, ``_sum`` and ``_count`` since the start): every
  dataset search page and ``package_search`` call, timed by the request middleware and kept in Redis, so every web
  process of the portal adds to the same figures.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa

log = logging.getLogger(__name__)


def _key(name: str) -> str:
    return f"hlj:metrics:{tk.config.get('ckan.site_id')}:{name}"


def window() -> int:
    return int(tk.config.get("ckanext.hlj.metrics.search_window") or 1000)


def record_search(seconds: float) -> None:
    """Add one search's duration (never raises: metrics must not break searching)."""
    try:
        from ckan.lib.redis import connect_to_redis  # noqa: PLC0415

        pipe = connect_to_redis().pipeline(transaction=False)
        pipe.incr(_key("search:count"))
        pipe.incrbyfloat(_key("search:sum"), seconds)
        pipe.lpush(_key("search:recent"), f"{seconds:.6f}")
        pipe.ltrim(_key("search:recent"), 0, window() - 1)
        pipe.execute()
    except Exception as error:
        log.debug("search latency not recorded: %s", error)


def quantile(values: list[float], q: float) -> float:
    """Nearest-rank quantile of ``values`` (sorted or not)."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def search_stats() -> dict[str, Any]:
    from ckan.lib.redis import connect_to_redis  # noqa: PLC0415

    conn = connect_to_redis()
    count, total, recent = conn.get(_key("search:count")), conn.get(_key("search:sum")), None
    recent = [float(v) for v in conn.lrange(_key("search:recent"), 0, -1)]
    return {
        "count": int(count or 0),
        "sum": float(total or 0),
        "quantiles": {q: quantile(recent, q) for q in (0.5, 0.9, 0.99)} if recent else {},
        "window": len(recent),
    }


def harvest_errors_24h() -> list[tuple[str, str, int]]:
    """(source name, stage, errors) over the last 24 hours."""
    from ckan import model  # noqa: PLC0415

    rows = model.Session.execute(
        sa.text(
            """
            SELECT p.name, e.stage, count(*) FROM (
                SELECT j.source_id, 'gather' AS stage FROM harvest_gather_error g
                  JOIN harvest_job j ON j.id = g.harvest_job_id
                 WHERE g.created > (now() at time zone 'utc') - interval '24 hours'
                UNION ALL
                SELECT o.harvest_source_id, 'object' FROM harvest_object_error oe
                  JOIN harvest_object o ON o.id = oe.harvest_object_id
                 WHERE oe.created > (now() at time zone 'utc') - interval '24 hours'
            ) e JOIN package p ON p.id = e.source_id
            GROUP BY p.name, e.stage ORDER BY p.name, e.stage
            """
        )
    ).fetchall()
    return [(name, stage, int(n)) for name, stage, n in rows]


def harvest_jobs_by_status() -> dict[str, int]:
    from ckan import model  # noqa: PLC0415

    rows = model.Session.execute(
        sa.text("SELECT status, count(*) FROM harvest_job WHERE status IN ('New', 'Running') GROUP BY status")
    ).fetchall()
    counts = {"New": 0, "Running": 0}
    counts.update({status: int(n) for status, n in rows})
    return counts


def overdue_by_rule() -> dict[str, int]:
    from ckanext.hlj.deadline.status import INDEX_RULE_STATES  # noqa: PLC0415

    result = tk.get_action("package_search")(
        {"ignore_auth": True},
        {
            "q": "*:*",
            "rows": 0,
            "include_private": True,
            "facet": "true",
            "facet.field": [INDEX_RULE_STATES],
            "facet.limit": -1,
        },
    )
    counts: dict[str, int] = {}
    for value, n in (result.get("facets") or {}).get(INDEX_RULE_STATES, {}).items():
        rule, _, state = value.rpartition(":")
        if state == "overdue" and rule:
            counts[rule] = int(n)
    return counts


def _escape(value: str) -> str:
    return str(value).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _number(value: float) -> str:
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, float) and not value.is_integer():
        return repr(value)
    return str(int(value))


class _Text:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def metric(self, name: str, kind: str, help_text: str, samples: Iterable[tuple[dict[str, str], float]]):
        self.lines.append(f"# HELP {name} {help_text}")
        self.lines.append(f"# TYPE {name} {kind}")
        for labels, value in samples:
            label_text = ",".join(f'{k}="{_escape(v)}"' for k, v in labels.items())
            self.lines.append(
                f"{name}{{{label_text}}} {_number(value)}" if label_text else f"{name} {_number(value)}"
            )

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _safely(out: _Text, what: str, function) -> Any:
    try:
        return function()
    except Exception as error:
        log.warning("metrics: %s unavailable: %s", what, error)
        out.lines.append(f"# {what} unavailable: {type(error).__name__}")
        return None


def render() -> str:
    """Every metric, as Prometheus text exposition format 0.0.4."""
    from ckanext.hlj.ops import health  # noqa: PLC0415

    out = _Text()
    report = health.run()
    checks = report["checks"]
    out.metric(
        "hlj_up",
        "gauge",
        "1 when the health check passes.",
        [({"check": n}, 1 if c["ok"] else 0) for n, c in checks.items()],
    )
    out.metric(
        "hlj_check_latency_seconds",
        "gauge",
        "How long the health check took.",
        [({"check": n}, round(c["latency_ms"] / 1000, 4)) for n, c in checks.items()],
    )
    workers = checks.get("workers", {})
    out.metric(
        "hlj_jobs_workers",
        "gauge",
        "rq workers alive on CKAN's queues.",
        [({}, len(workers.get("workers") or []))],
    )
    out.metric(
        "hlj_jobs_queued",
        "gauge",
        "Background jobs waiting, per queue.",
        [({"queue": q}, n) for q, n in sorted((workers.get("queued_jobs") or {}).items())],
    )
    for metric, key, help_text in (
        ("hlj_harvest_queue_depth", "queue_depth", "Harvest items waiting for a consumer."),
        ("hlj_harvest_oldest_waiting_seconds", "oldest_waiting_s", "Age of the oldest waiting harvest item."),
    ):
        samples = []
        for stage in ("gather", "fetch"):
            value = checks.get(f"harvest_{stage}", {}).get(key)
            if value is not None:
                samples.append(({"stage": stage}, value))
        out.metric(metric, "gauge", help_text, samples)
    out.metric(
        "hlj_harvest_consumers",
        "gauge",
        "Harvest consumers connected to Redis.",
        [
            ({"stage": s}, len(checks.get(f"harvest_{s}", {}).get("consumers") or []))
            for s in ("gather", "fetch")
        ],
    )

    errors = _safely(out, "harvest errors", harvest_errors_24h)
    if errors is not None:
        out.metric(
            "hlj_harvest_errors_24h",
            "gauge",
            "Harvest gather and object errors in the last 24 hours.",
            [({"source": s, "stage": st}, n) for s, st, n in errors],
        )
    jobs = _safely(out, "harvest jobs", harvest_jobs_by_status)
    if jobs is not None:
        out.metric(
            "hlj_harvest_jobs",
            "gauge",
            "Harvest jobs waiting or running.",
            [({"status": s.lower()}, n) for s, n in sorted(jobs.items())],
        )
    overdue = _safely(out, "overdue counts", overdue_by_rule)
    if overdue is not None:
        out.metric(
            "hlj_deadline_overdue",
            "gauge",
            "Obligations past their due day and still unmet, per rule.",
            [({"rule": r}, n) for r, n in sorted(overdue.items())],
        )
    stats = _safely(out, "search latency", search_stats)
    if stats is not None:
        # A summary, as Prometheus clients make them: quantiles over a sliding window, sum and count cumulative.
        out.lines.append(
            "# HELP hlj_search_duration_seconds Dataset searches (search pages and package_search); quantiles "
            f"over the last {window()}."
        )
        out.lines.append("# TYPE hlj_search_duration_seconds summary")
        for q, v in stats["quantiles"].items():
            out.lines.append(f'hlj_search_duration_seconds{{quantile="{q}"}} {_number(round(v, 6))}')
        out.lines.append(f"hlj_search_duration_seconds_sum {_number(round(stats['sum'], 6))}")
        out.lines.append(f"hlj_search_duration_seconds_count {stats['count']}")
    return out.text()

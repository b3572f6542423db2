"""Health and metrics endpoints of the `hlj_ops` plugin (registered by ckanext-hlj/ops/plugin.py, not by `hlj`).

    GET /api/hlj/health[?checks=postgres,solr]   200 when every required check passes, else 503; JSON:
                                                 {"status", "failed", "checks": {name: {ok, required, detail,
                                                 latency_ms, ...}}, "time"}. ``checks`` runs only those named.
    GET /api/hlj/metrics                         Prometheus text; sysadmins, or ``Authorization: Bearer TOKEN``
                                                 with ckanext.hlj.metrics.token

Anonymous on purpose (load balancers and the compose health checks call it) and free of secrets: see
ckanext-hlj/ops/health.py.
"""

from __future__ import annotations

import hmac
import json

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response

from ckanext.hlj.ops import health

# Not exported: the `hlj` plugin registers every blueprint views/ exports; this one belongs to `hlj_ops`.
__all__: list[str] = []

hlj_ops = Blueprint("hlj_ops", __name__)

NO_STORE = {"Cache-Control": "no-store"}


@hlj_ops.before_request
def _never_cache() -> None:
    # CKAN's after_request marks other responses public and cacheable; these must never be cached.
    tk.request.environ["__no_cache__"] = True


@hlj_ops.route("/api/hlj/health")
def health_view() -> Response:
    names = None
    if tk.request.args.get("checks"):
        names = [n.strip() for n in tk.request.args["checks"].split(",") if n.strip()]
        unknown = [n for n in names if n not in health.CHECKS]
        if unknown:
            body = {"error": f"unknown checks: {', '.join(unknown)}", "checks": list(health.CHECKS)}
            return Response(json.dumps(body), status=400, mimetype="application/json", headers=NO_STORE)
    report = health.run(names)
    return Response(
        json.dumps(report, ensure_ascii=False),
        status=200 if report["status"] == "ok" else 503,
        mimetype="application/json",
        headers=NO_STORE,
    )


def _may_read_metrics() -> bool:
    user = tk.current_user
    if getattr(user, "is_authenticated", False) and getattr(user, "sysadmin", False):
        return True
    token = tk.config.get("ckanext.hlj.metrics.token")
    given = tk.request.headers.get("Authorization", "")
    if token and given.startswith("Bearer "):
        return hmac.compare_digest(given[len("Bearer ") :].strip().encode(), str(token).encode())
    return False


@hlj_ops.route("/api/hlj/metrics")
def metrics_view() -> Response:
    from ckanext.hlj.ops import metrics  # noqa: PLC0415

    if not _may_read_metrics():
        return Response("forbidden\n", status=403, mimetype="text/plain", headers=NO_STORE)
    return Response(metrics.render(), mimetype="text/plain; version=0.0.4", headers=NO_STORE)

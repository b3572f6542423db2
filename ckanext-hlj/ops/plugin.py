"""The `hlj_ops` plugin: health and metrics endpoints, request ids and structured request logs, named harvest
consumers, the site's identifiers for the footer (h.hlj_site_identity). Separate from `hlj`, so that a portal's
operations can be switched on and off on their own; enabled by listing ``hlj_ops`` in ``ckan.plugins``
(config/common.ini does).

Its settings are declared with the rest of ckanext-hlj's, in ckanext-hlj/config_declaration.yaml ("ckanext-hlj
operations"), which the `hlj` plugin loads.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.hlj.ops import consumers, logs, site


class HljOpsPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurable)
    p.implements(p.IBlueprint)
    p.implements(p.IMiddleware, inherit=True)
    p.implements(p.ITemplateHelpers)

    # IConfigurable

    def configure(self, config: Any) -> None:
        logs.install()
        consumers.install()

    # IBlueprint

    def get_blueprint(self) -> list[Any]:
        from ckanext.hlj.views import health as views  # noqa: PLC0415

        return [views.hlj_ops]

    # ITemplateHelpers

    def get_helpers(self) -> dict[str, Any]:
        return {"hlj_site_identity": site.hlj_site_identity}

    # IMiddleware

    def make_middleware(self, app: Any, config: Any) -> Any:
        from ckanext.hlj.ops import metrics, middleware  # noqa: PLC0415

        logs.install()
        return middleware.install(
            app, tk.asbool(config.get("ckanext.hlj.log.requests", True)), metrics.record_search
        )

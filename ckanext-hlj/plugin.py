"""The `hlj` plugin: a thin class that wires ckanext-hlj into CKAN; the work lives in the modules it names."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.hlj import facets, harvest_queue, search, tables
from ckanext.hlj.deadline import status as deadline_status
from ckanext.hlj.reprint import fold, rule


@tk.blanket.config_declarations
@tk.blanket.cli
@tk.blanket.helpers
@tk.blanket.validators
@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.blueprints
class HljPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.ITranslation)

    # IConfigurer

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")

    def update_config_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        # Options a supervisor (sysadmin) may change at run time through config_option_update / the reprint page.
        return rule.add_editable_options(schema)

    # IConfigurable

    def configure(self, config: Any) -> None:
        harvest_queue.install()
        tables.create_all()

    # IPackageController

    def before_dataset_search(self, search_params: dict[str, Any]) -> dict[str, Any]:
        return fold.apply(search.add_chinese_query_fields(search_params))

    def after_dataset_search(
        self, search_results: dict[str, Any], search_params: dict[str, Any]
    ) -> dict[str, Any]:
        return fold.annotate(facets.label_items(search_results))

    def after_dataset_create(self, context: dict[str, Any], pkg_dict: dict[str, Any]) -> None:
        if pkg_dict.get("type") == "credit-publication" and pkg_dict.get("id"):
            from ckanext.hlj.credit import jobs  # noqa: PLC0415

            jobs.enqueue_prepare_publication(pkg_dict["id"])

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return fold.index_fields(deadline_status.index_fields(facets.index_fields(pkg_dict)))

    # IFacets

    def dataset_facets(self, facets_dict: dict[str, Any], package_type: str) -> dict[str, Any]:
        return facets.add_facets(facets_dict, package_type)

    def organization_facets(
        self, facets_dict: dict[str, Any], organization_type: str, package_type: str | None
    ) -> dict[str, Any]:
        return facets.add_facets(facets_dict, package_type)

    # ITranslation

    def i18n_domain(self) -> str:
        return "ckanext-hlj"

    def i18n_directory(self) -> str:
        import os  # noqa: PLC0415

        return os.path.join(os.path.dirname(__file__), "i18n")

    def i18n_locales(self) -> list[str]:
        return ["zh_Hans_CN"]  # msgids are English

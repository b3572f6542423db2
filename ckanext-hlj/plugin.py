"""The `hlj` plugin: a thin class that wires ckanext-hlj into CKAN; the work lives in the modules it names."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.hlj import harvest_queue, review, search


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
    p.implements(p.ITranslation)

    # IConfigurer

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")

    # IConfigurable

    def configure(self, config: Any) -> None:
        harvest_queue.install()
        review.create_tables()

    # IPackageController

    def before_dataset_search(self, search_params: dict[str, Any]) -> dict[str, Any]:
        return search.add_chinese_query_fields(search_params)

    # ITranslation

    def i18n_domain(self) -> str:
        return "ckanext-hlj"

    def i18n_directory(self) -> str:
        import os  # noqa: PLC0415

        return os.path.join(os.path.dirname(__file__), "i18n")

    def i18n_locales(self) -> list[str]:
        return ["zh_Hans_CN", "en"]

"""The ``hlj_dcat`` RDF profile: ckanext-dcat's DCAT-AP 3 profile with the platform's types mapped in.

DCAT-AP 3 because the SHACL shapes the output is checked against (shared/reference/shacl, SEMIC's 3.0.0 release) are
3's; ckanext-dcat's ``euro_dcat_ap_3`` profile does the general work (titles, keywords, distributions, dates,
contact points, identifiers, access rights). This profile hands it a dataset dict in the shape it understands —
built by :mod:`.mapping` from our scheming fields — and writes itself what it cannot express: the publisher as a
foaf:Agent with the organisation's 统一社会信用代码, the GB/T 2260 region, the theme concepts with their labels and
schemes, telephone numbers, formats outside the EU file-type table. The catalogue gets its publisher, its language
as a URI and its theme taxonomies.

Only what a caller may see reaches a profile: ckanext-dcat's catalogue endpoint searches public records only
(package_search without include_private) and the dataset endpoint goes through package_show's auth.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles import EuropeanDCATAP3Profile
from ckanext.dcat.profiles.base import ADMS, DCAT, DCT, FOAF, SKOS, VCARD, CleanedURIRef
from ckanext.dcat.utils import publisher_uri_organization_fallback, resource_uri
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from ckanext.hlj.catalogue import codelists

from . import mapping

# Who issues 统一社会信用代码 (GB 32100-2015): the identifier scheme's agency, as ADMS records it.
USCC_AGENCY = "全国组织机构统一社会信用代码数据服务中心"

# Keys of a CKAN dict that ckanext-dcat's profiles read with a meaning of their own. Our schemas reuse some of these
# names (disclosure items have a contact_email); they are dropped from the dict handed to the parent profile and
# re-expressed through the mapping, so nothing is written twice or with the wrong class.
_PARENT_KEYS = (
    "contact_uri",
    "contact_name",
    "contact_email",
    "maintainer",
    "maintainer_email",
    "author",
    "author_email",
    "publisher_uri",
    "publisher_name",
    "organization",
)

# organization_show answers cached per graph: one catalogue page serialises many records of few organisations,
# and ckanext-dcat makes a new profile object for each record.
_organizations: weakref.WeakKeyDictionary[Graph, dict[str, dict[str, Any] | None]] = (
    weakref.WeakKeyDictionary()
)


class HljDCATAPProfile(EuropeanDCATAP3Profile):
    """DCAT-AP 3 with the platform's dataset types (see :mod:`ckanext.hlj.dcat.mapping`)."""

    # Datasets

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        organization = self._organization(dataset_dict)
        super().graph_from_dataset(self._for_parent(dataset_dict, organization), dataset_ref)
        self._add_publisher(dataset_ref, dataset_dict, organization)
        self._add_spatial(dataset_ref, mapping.region_code(dataset_dict, organization))
        self._add_themes(dataset_ref, dataset_dict)
        self._add_contact_phone(dataset_ref, dataset_dict)
        self._complete_distributions(dataset_ref, dataset_dict)

    def _for_parent(self, dataset: dict[str, Any], organization: Mapping[str, Any] | None) -> dict[str, Any]:
        """The dataset as ckanext-dcat's DCAT-AP 3 profile reads it (keys as in its own scheming schemas)."""
        spec = mapping.type_mapping(dataset.get("type"))
        out = {k: v for k, v in dataset.items() if k not in _PARENT_KEYS}
        out["title_translated"] = mapping.text(dataset.get("title") or dataset.get("name"))
        out["notes_translated"] = mapping.text(mapping.description(dataset))
        out.pop("title", None)
        out.pop("notes", None)
        tags = [t["name"] for t in dataset.get("tags") or []]
        if any(isinstance(mapping.text(t), dict) for t in tags):
            out["tags_translated"] = {"zh": tags}
        if dataset.get("type") in mapping.TYPES:
            out["url"] = mapping.landing_page(dataset)
        codes = mapping.identifiers(dataset)
        if codes:
            out["identifier"], out["alternate_identifier"] = codes[0], codes[1:]
        out["issued"] = mapping.first_value(dataset, spec.issued) or mapping.ckan_timestamp(
            dataset.get("metadata_created")
        )
        out["modified"] = mapping.first_value(dataset, spec.modified) or mapping.ckan_timestamp(
            dataset.get("metadata_modified")
        )
        out["language"] = [mapping.LANGUAGE_ZH]
        out["theme"] = []  # written with their concepts by _add_themes
        out["access_rights"] = mapping.access_right(dataset)
        frequency = mapping.frequency(dataset)
        if frequency:
            out["frequency"] = frequency
        out["documentation"] = [dataset[f] for f in spec.pages if dataset.get(f)]
        out["contact"] = self._contacts(dataset, spec, organization)
        out["creator"] = self._creators(dataset, spec)
        out["resources"] = [self._resource_for_parent(r) for r in dataset.get("resources") or []]
        return out

    @staticmethod
    def _contacts(
        dataset: Mapping[str, Any], spec: mapping.TypeMapping, organization: Mapping[str, Any] | None
    ) -> list[dict[str, Any]]:
        if spec.contact is None:  # a stock CKAN dataset: its maintainer, else its author
            name = dataset.get("maintainer") or dataset.get("author")
            email = dataset.get("maintainer_email") or dataset.get("author_email")
            phone = None
        else:
            name_field, email_field, phone_field = spec.contact
            name = dataset.get(name_field) if name_field else None
            email = dataset.get(email_field) if email_field else None
            phone = dataset.get(phone_field) if phone_field else None
        if not (email or phone):
            return []
        # A contact point needs a name (vcard:fn); the division, else the publishing body.
        name = name or (organization or {}).get("title")
        return [{"name_translated": mapping.text(name), "email": email}]

    @staticmethod
    def _creators(dataset: Mapping[str, Any], spec: mapping.TypeMapping) -> list[dict[str, Any]]:
        if spec.creator is None:
            return []
        name_field, uscc_field = spec.creator
        name = dataset.get(name_field)
        if not name:
            return []
        translated = mapping.text(name)
        return [
            {
                "name": name,
                "name_translated": translated if isinstance(translated, dict) else None,
                "identifier": dataset.get(uscc_field) if uscc_field else None,
            }
        ]

    @staticmethod
    def _resource_for_parent(resource: Mapping[str, Any]) -> dict[str, Any]:
        out = dict(resource)
        if resource.get("name"):
            out["name_translated"] = mapping.text(resource["name"])
        if resource.get("description"):
            out["description_translated"] = mapping.text(resource["description"])
        # dct:format and dcat:mediaType must be URIs (dct:MediaTypeOrExtent, dct:MediaType); formats the EU table
        # lacks are described by _complete_distributions instead.
        out["format"] = mapping.file_type_uri(resource.get("format"))
        out["mimetype"] = mapping.media_type_uri(resource.get("mimetype"))
        out["issued"] = resource.get("issued") or mapping.ckan_timestamp(resource.get("created"))
        out["modified"] = resource.get("modified") or mapping.ckan_timestamp(
            resource.get("metadata_modified")
        )
        return out

    def _organization(self, dataset: Mapping[str, Any]) -> dict[str, Any] | None:
        org_id = dataset.get("owner_org") or (dataset.get("organization") or {}).get("id")
        if not org_id:
            return None
        cache = _organizations.setdefault(self.g, {})
        if org_id not in cache:
            try:
                cache[org_id] = tk.get_action("organization_show")(
                    {"ignore_auth": True},
                    {
                        "id": org_id,
                        "include_datasets": False,
                        "include_dataset_count": False,
                        "include_users": False,
                        "include_groups": False,
                        "include_tags": False,
                        "include_followers": False,
                    },
                )
            except tk.ObjectNotFound:
                cache[org_id] = None
        return cache[org_id]

    def _add_publisher(
        self, subject: URIRef, dataset: Mapping[str, Any], organization: Mapping[str, Any] | None
    ) -> None:
        if organization is None:
            return
        ref = URIRef(publisher_uri_organization_fallback({**dataset, "organization": organization}))
        self.g.add((subject, DCT.publisher, ref))
        self._describe_agent(ref, organization)

    def _describe_agent(self, ref: URIRef | BNode, organization: Mapping[str, Any]) -> None:
        """A foaf:Agent for an organisation: its name, 统一社会信用代码 and kind of authority."""
        g = self.g
        if (ref, RDF.type, FOAF.Agent) in g:
            return
        g.add((ref, RDF.type, FOAF.Agent))
        g.add((ref, RDF.type, FOAF.Organization))
        name = organization.get("title") or organization.get("name")
        g.add((ref, FOAF.name, Literal(name, lang="zh") if mapping.text(name) != name else Literal(name)))
        uscc = (organization.get("uscc") or "").strip()
        if uscc:
            g.add((ref, DCT.identifier, Literal(uscc)))
            identifier = BNode()
            g.add((ref, ADMS.identifier, identifier))
            g.add((identifier, RDF.type, ADMS.Identifier))
            g.add((identifier, SKOS.notation, Literal(uscc)))
            g.add((identifier, ADMS.schemaAgency, Literal(USCC_AGENCY, lang="zh")))
        kind = mapping.publisher_type(organization)
        if kind:
            uri, label = URIRef(kind[0]), kind[1]
            g.add((ref, DCT.type, uri))
            g.add((uri, RDF.type, SKOS.Concept))
            g.add((uri, SKOS.prefLabel, Literal(label, lang="en")))
            g.add((uri, SKOS.inScheme, URIRef(mapping.PUBLISHER_TYPE_SCHEME)))
        websites = [
            w for w in organization.get("websites") or [] if str(w).startswith(("http://", "https://"))
        ]
        if websites:  # a bare host name would become a relative URI
            g.add((ref, FOAF.homepage, CleanedURIRef(websites[0])))

    def _add_spatial(self, subject: URIRef, code: str | None) -> None:
        if not code:
            return
        ref = URIRef(mapping.spatial_uri(code))
        self.g.add((subject, DCT.spatial, ref))
        self.g.add((ref, RDF.type, DCT.Location))
        self.g.add((ref, SKOS.notation, Literal(code)))
        label = mapping.region_label(code)
        if label:
            self.g.add((ref, SKOS.prefLabel, Literal(label, lang="zh")))

    def _add_themes(self, subject: URIRef, dataset: Mapping[str, Any]) -> None:
        for codelist, choice in mapping.themes(dataset):
            ref = self._add_concept(codelist, choice)
            self.g.add((subject, DCAT.theme, ref))

    def _add_concept(self, codelist: str, choice: codelists.Choice) -> URIRef:
        g = self.g
        ref = URIRef(mapping.theme_uri(codelist, choice.code))
        scheme = self._add_scheme(codelist)
        g.add((ref, RDF.type, SKOS.Concept))
        g.add((ref, SKOS.prefLabel, Literal(choice.zh, lang="zh")))
        g.add((ref, SKOS.prefLabel, Literal(choice.en, lang="en")))
        g.add((ref, SKOS.notation, Literal(choice.code)))
        g.add((ref, SKOS.inScheme, scheme))
        if choice.parent:
            parent = codelists.choice(codelist, choice.parent)
            g.add((ref, SKOS.broader, self._add_concept(codelist, parent)))
        return ref

    def _add_scheme(self, codelist: str) -> URIRef:
        info = codelists.codelist_info(codelist)
        ref = URIRef(mapping.scheme_uri(codelist))
        self.g.add((ref, RDF.type, SKOS.ConceptScheme))
        self.g.add((ref, DCT.title, Literal(info.title_zh, lang="zh")))
        self.g.add((ref, DCT.title, Literal(info.title_en, lang="en")))
        return ref

    def _add_contact_phone(self, subject: URIRef, dataset: Mapping[str, Any]) -> None:
        spec = mapping.type_mapping(dataset.get("type"))
        phone_field = spec.contact[2] if spec.contact else None
        phone = (dataset.get(phone_field) or "").strip() if phone_field else ""
        if not phone:
            return
        for contact in self.g.objects(subject, DCAT.contactPoint):
            self.g.add((contact, VCARD.hasTelephone, URIRef("tel:" + "".join(phone.split()))))

    def _complete_distributions(self, subject: URIRef, dataset: Mapping[str, Any]) -> None:
        by_uri = {}
        for resource in dataset.get("resources") or []:
            by_uri[str(self._distribution_ref(resource))] = resource
        for distribution in self.g.objects(subject, DCAT.distribution):
            # The access URL is a web resource (DCAT-AP's range); ckanext-dcat types it only when it comes from an
            # explicit access_url, not from CKAN's url.
            for url in self.g.objects(distribution, DCAT.accessURL):
                self.g.add((url, RDF.type, RDFS.Resource))
            resource = by_uri.get(str(distribution))
            fmt = (resource or {}).get("format")
            if fmt and mapping.file_type_uri(fmt) is None:
                extent = BNode()
                self.g.add((distribution, DCT["format"], extent))
                self.g.add((extent, RDF.type, DCT.MediaTypeOrExtent))
                self.g.add((extent, RDFS.label, Literal(fmt)))

    @staticmethod
    def _distribution_ref(resource: Mapping[str, Any]) -> URIRef:
        return CleanedURIRef(resource_uri(dict(resource)))

    # Catalogue

    def graph_from_catalog(self, catalog_dict: dict[str, Any] | None, catalog_ref: URIRef) -> None:
        super().graph_from_catalog(catalog_dict, catalog_ref)
        g = self.g
        # ckanext-dcat writes ckan.locale_default (zh_Hans_CN) as a literal; DCAT-AP wants a language URI.
        g.remove((catalog_ref, DCT.language, None))
        g.add((catalog_ref, DCT.language, URIRef(mapping.LANGUAGE_ZH)))
        g.add((URIRef(mapping.LANGUAGE_ZH), RDF.type, DCT.LinguisticSystem))
        for predicate in (DCT.title, DCT.description):
            for value in list(g.objects(catalog_ref, predicate)):
                if (
                    isinstance(value, Literal)
                    and not value.language
                    and mapping.text(str(value)) != str(value)
                ):
                    g.remove((catalog_ref, predicate, value))
                    g.add((catalog_ref, predicate, Literal(str(value), lang="zh")))
        for value in list(g.objects(catalog_ref, DCT.modified)):
            g.remove((catalog_ref, DCT.modified, value))
            g.add(
                (
                    catalog_ref,
                    DCT.modified,
                    Literal(mapping.ckan_timestamp(str(value)), datatype=XSD.dateTime),
                )
            )
        for homepage in g.objects(catalog_ref, FOAF.homepage):
            g.add((homepage, RDF.type, FOAF.Document))
        self._add_catalog_publisher(catalog_ref)
        for codelist in sorted({f for spec in mapping.TYPES.values() for f in spec.themes}):
            g.add((catalog_ref, DCAT.themeTaxonomy, self._add_scheme(codelist)))

    def _add_catalog_publisher(self, catalog_ref: URIRef) -> None:
        name = (tk.config.get("ckanext.hlj.dcat.catalog_publisher") or "").strip()
        organization = self._organization({"owner_org": name}) if name else None
        if organization is not None:
            ref = URIRef(publisher_uri_organization_fallback({"organization": organization}))
            self._describe_agent(ref, organization)
        else:
            # No operating body configured: the portal itself, named by its title.
            ref = URIRef(f"{str(catalog_ref).rstrip('/')}/#publisher")
            self.g.add((ref, RDF.type, FOAF.Agent))
            title = tk.config.get("ckan.site_title") or str(catalog_ref)
            self.g.add(
                (
                    ref,
                    FOAF.name,
                    Literal(title, lang="zh") if mapping.text(title) != title else Literal(title),
                )
            )
        self.g.add((catalog_ref, DCT.publisher, ref))

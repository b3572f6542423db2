"""What the portal's responses may carry, checked on their way out (Flask ``after_request`` hooks).

- Error pages and API errors never carry a configured secret or a URL's password (see ``redact``).
- An uploaded resource file is downloaded, not displayed: CKAN 2.12's download view sends files kept by its
  default uploader inline, with the MIME type recorded for the resource, so an uploaded ``page.html`` (or
  ``.svg``, ``.xml``) would run its scripts in the portal's own origin. Only the types listed in
  ``ckanext.hlj.security.inline_download_types`` stay inline; every download also gets
  ``X-Content-Type-Options: nosniff`` so a browser never second-guesses the type.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from werkzeug.http import parse_options_header

from ckanext.hlj.security import redact


def redact_error_response(response: Any) -> Any:
    if response.status_code < 400 or response.is_streamed or response.direct_passthrough:
        return response
    body = response.get_data(as_text=True)
    cleaned = redact.redact(body)
    if cleaned != body:
        response.set_data(cleaned)
    return response


def _is_download() -> bool:
    endpoint = tk.request.endpoint or ""
    # CKAN's resource blueprint and the one each dataset type gets ("policy_resource.download").
    return endpoint == "resource.download" or endpoint.endswith("_resource.download")


def downloads_as_attachments(response: Any) -> Any:
    if response.status_code != 200 or not _is_download():
        return response
    response.headers["X-Content-Type-Options"] = "nosniff"
    content_type = (response.mimetype or "").lower()
    inline = tk.config.get("ckanext.hlj.security.inline_download_types") or []
    if content_type in inline:
        return response
    disposition, options = parse_options_header(response.headers.get("Content-Disposition", ""))
    if disposition != "attachment":
        filename = options.get("filename") or (tk.request.view_args or {}).get("filename") or "download"
        response.headers.set("Content-Disposition", "attachment", filename=filename)
    return response

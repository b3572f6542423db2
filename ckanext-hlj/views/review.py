"""The reviewer's form on a dataset page: approve or reject (保密审查)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint

__all__ = ["hlj_review"]

hlj_review = Blueprint("hlj_review", __name__)


@hlj_review.route("/dataset/<id>/review", methods=["POST"])
def decide(id: str):
    data = {
        "id": id,
        "decision": tk.request.form.get("decision"),
        "comment": tk.request.form.get("comment", ""),
    }
    try:
        result = tk.get_action("hlj_review_decide")({"user": tk.current_user.name}, data)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only a reviewer of the organization can decide"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Dataset not found"))
    except tk.ValidationError as error:
        for messages in error.error_dict.values():
            for message in messages:
                tk.h.flash_error(message)
    else:
        tk.h.flash_success(tk._("Review decision recorded: {decision}").format(decision=result["decision"]))
    pkg = tk.get_action("package_show")({"ignore_auth": True}, {"id": id})
    return tk.redirect_to(f"{pkg['type']}.read", id=pkg["name"])

"""The ``hlj_security`` plugin: a thin class wiring in the protections of ``ckanext.hlj.security``.

List it after ``expire_api_token`` in ``ckan.plugins``: its IApiToken hooks refine that plugin's (see ``tokens``).
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from flask import has_request_context, make_response

from ckanext.hlj.logic.validators import request_language
from ckanext.hlj.security import actions, audit, auth, redact, responses, throttle, tokens


def _on_failed_login(sender: str, **kwargs: Any) -> None:
    # ``sender`` is the login as typed (a user name or an e-mail address).
    if has_request_context():
        throttle.record_failure(sender or "", throttle.client_address())


def _on_logged_in(sender: Any, **kwargs: Any) -> None:
    user = kwargs.get("user")
    if isinstance(user, model.User) and has_request_context():
        throttle.record_success(user, throttle.client_address())


@tk.blanket.actions(actions)
@tk.blanket.auth_functions(auth)
class HljSecurityPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurable)
    p.implements(p.IAuthenticator, inherit=True)
    p.implements(p.ISignal)
    p.implements(p.IApiToken, inherit=True)
    p.implements(p.IMiddleware, inherit=True)

    # IConfigurable

    def configure(self, config: Any) -> None:
        redact.load_secrets(config)
        redact.install_log_redaction()

    # IAuthenticator: a locked account is refused before its password is looked at.

    def login(self) -> Any:
        if tk.request.method != "POST":
            return None
        lock = throttle.lock_for(tk.request.form.get("login", ""), throttle.client_address())
        if lock is None:
            return None
        tk.h.flash_error(throttle.message(lock, request_language()))
        response = make_response(tk.render("user/login.html", {}), 429)
        response.headers["Retry-After"] = str(lock.seconds)
        return response

    def authenticate(self, identity: dict[str, Any]) -> Any:
        # Every other password check (the old password on the account form) goes through here.
        login = identity.get("login")
        if login and has_request_context() and throttle.lock_for(login, throttle.client_address()):
            return model.AnonymousUser()
        return None

    # ISignal

    def get_signal_subscriptions(self) -> dict[Any, list[Any]]:
        return {
            tk.signals.failed_login: [_on_failed_login],
            tk.signals.user_logged_in: [_on_logged_in],
            tk.signals.action_succeeded: [audit.on_action_succeeded],
        }

    # IApiToken

    def create_api_token_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return tokens.create_schema(schema)

    def postprocess_api_token(
        self, data: dict[str, Any], jti: str, data_dict: dict[str, Any]
    ) -> dict[str, Any]:
        return tokens.cap_expiry(data, jti)

    def preprocess_api_token(self, data: dict[str, Any]) -> dict[str, Any] | None:
        return tokens.check_expiry(data)

    # IMiddleware

    def make_middleware(self, app: Any, config: Any) -> Any:
        if hasattr(app, "after_request"):  # the Flask app itself, not another plugin's WSGI wrapper
            app.after_request(responses.redact_error_response)
            app.after_request(responses.downloads_as_attachments)
        return app

"""Synap API v3 (seeds 000, 001): JSON:API 1.1 over ``application/vnd.api+json``, PAT bearer auth."""

from mockserver.vendor import Vendor
from mockserver.vendors.synap import auth, errors, media, seed

VENDOR = Vendor(
    name="synap",
    title="Synap v3",
    prefix="/synap/v3",
    root="/v3",
    client_base="/synap/v3",
    handlers="mockserver.vendors.synap.handlers",
    actions="mockserver.vendors.synap.resources",
    render_error=errors.render_error,
    seed=seed.seed,
    credentials=auth.credentials,
    auth_hint="Authorization: Bearer p:<token> (a personal access token)",
    before_request=media.content_type_warning,
)

"""Skilljar v1 (seed 003): a Django REST Framework API (HTTP Basic with the API key)."""

from mockserver.vendor import Vendor
from mockserver.vendors.skilljar import auth, errors, metadata, seed

VENDOR = Vendor(
    name="skilljar",
    title="Skilljar v1",
    prefix="/skilljar/v1",
    root="/v1",
    client_base="/skilljar",
    handlers="mockserver.vendors.skilljar.handlers",
    actions="mockserver.vendors.skilljar.resources",
    render_error=errors.render_error,
    seed=seed.seed,
    credentials=auth.credentials,
    auth_hint="HTTP Basic: the API key as username, empty password",
    options=metadata.options,
    form_style="drf",  # Skilljar is a DRF service: user.email, answers[0]answer_text
    empty_body={},  # ... where an empty body is empty data
)

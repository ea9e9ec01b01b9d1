"""Canvas LMS REST API v1 (seed 002): access tokens, accounts, account calendars, notifications,
reports and an account's courses, with Canvas's paging, errors and throttle headers."""

from mockserver.vendor import Vendor
from mockserver.vendors.canvas import auth, errors, seed, throttle
from mockserver.vendors.canvas.handlers.tokens import activate_token

VENDOR = Vendor(
    name="canvas",
    title="Canvas LMS v1",
    prefix="/canvas/api/v1",
    root="/api/v1",
    client_base="/canvas",
    handlers="mockserver.vendors.canvas.handlers",
    render_error=errors.render_error,
    seed=seed.seed,
    credentials=auth.credentials,
    auth_hint="Authorization: Bearer <token> (or ?access_token=<token>)",
    admin_actions={"activate_token": activate_token, "throttle": throttle.configure},
    before_request=throttle.meter,
)

"""Verse quiz sessions (seed 004): a JSON:API service built on verse-rb/verse-jsonapi."""

from mockserver.vendor import Vendor
from mockserver.vendors.quiz import auth, errors, seed

VENDOR = Vendor(
    name="quiz",
    title="Quiz sessions v3 (Verse)",
    prefix="/quiz/api/v3",
    root="/api/v3",
    client_base="/quiz",
    handlers="mockserver.vendors.quiz.handlers",
    render_error=errors.render_error,
    seed=seed.seed,
    credentials=auth.credentials,
    auth_hint="Authorization: Bearer <token>",
)

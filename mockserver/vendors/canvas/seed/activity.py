"""What the people did before the sandbox started: access tokens (the named people's demo tokens,
then tokens of Faker users in every state: active, pending, expired, deleted), the account's
global notifications, and finished report runs (so the available-reports list shows a last run)."""

from __future__ import annotations

from datetime import timedelta

from mockserver.clock import isoformat
from mockserver.seed import EPOCH, SeedContext
from mockserver.store import Store
from mockserver.vendors.canvas import tables as t
from mockserver.vendors.canvas.rules import report_files, reports, roles, tokens

SCOPES = ("url:GET|/api/v1/courses", "url:GET|/api/v1/users/:user_id/profile", "url:GET|/api/v1/accounts")
PURPOSES = ("Gradebook export", "LTI tool setup", "Attendance sync", "Personal scripts", "Course calendar feed",
            "Data warehouse", "Mobile app testing", "Roster import")


def _token(id_: int, user: int, secret: str, purpose: str, created: str, **fields) -> dict:
    return {"id": id_, "user_id": user, "purpose": purpose, "workflow_state": fields.pop("workflow_state", "active"),
            "created_at": created, "updated_at": created, "expires_at": fields.pop("expires_at", None),
            "last_used_at": fields.pop("last_used_at", None), "scopes": fields.pop("scopes", []),
            "real_user_id": fields.pop("real_user_id", None), "remember_access": None,
            "_secret": secret, "_hint": secret[:tokens.HINT_LENGTH], "_manual": True, **fields}


def seed(store: Store, ctx: SeedContext) -> None:
    rng, fixtures = ctx.rng, ctx.fixtures
    made = []
    for named in fixtures["users"]:
        if named.get("token"):
            made.append(_token(len(made) + 1, named["id"], named["token"], named["purpose"], "2025-06-01T00:00:00Z",
                               expires_at=named.get("expires_at"), _credential=named["credential"]))
    states = ("active",) * 6 + ("pending", "deleted")
    for user_id in range(10, 10 + ctx.rows, 10):  # every tenth Faker user has a token
        created = ctx.moment(-400, -10)
        state = rng.choice(states)
        expires = None
        if rng.random() < 0.3:  # some expired before the epoch, some run for years
            expires = isoformat(created + timedelta(days=rng.randint(30, 90))) if rng.random() < 0.5 \
                else isoformat(EPOCH + timedelta(days=rng.randint(400, 1800)))
        made.append(_token(len(made) + 1, user_id, tokens.secret(ctx.seed, f"seed:{user_id}"), rng.choice(PURPOSES),
                           isoformat(created), workflow_state=state, expires_at=expires,
                           scopes=rng.sample(SCOPES, k=rng.randint(0, 2)),
                           real_user_id=1 if state == "pending" else None,
                           last_used_at=isoformat(created + timedelta(days=rng.randint(1, 9))) if state == "active" else None))
    store.insert_many(t.TOKENS, ((tok["id"], tok) for tok in made))
    store.insert_many(t.TOKEN_SECRETS, ((tok["_secret"], {"token_id": tok["id"]}) for tok in made))

    notes = [{"id": n, "account_id": note["account"], "subject": note["subject"], "message": note["message"],
              "icon": note["icon"], "start_at": note["start_at"], "end_at": note["end_at"],
              "_roles": roles.resolve(note["roles"]), "_author_id": 1,
              "created_at": "2025-07-15T00:00:00Z"}
             for n, note in enumerate(fixtures["notifications"], 1)]
    store.insert_many(t.NOTIFICATIONS, ((note["id"], note) for note in notes))

    runs = []
    for n, kind in enumerate(("provisioning_csv", "grade_export_csv", "provisioning_csv", "last_user_access_csv"), 1):
        created = ctx.moment(-40, -5)
        parameters = {"enrollment_term_id": "4"} if n % 2 else {}
        files = None
        if kind in report_files.SIS_EXPORTS:  # the provisioning runs exported users, courses and enrollments
            parameters.update(users="true", courses="true", enrollments="true")
            files = report_files.csvs(store, kind, parameters)
        runs.append(reports.record(n, 1, kind, parameters, 1, isoformat(created), reports.run_seconds(store, kind),
                                   report_files.lines(files) if files is not None else 250,
                                   workflow_state="deleted" if n == 3 else None, files=files))
    store.insert_many(t.REPORTS, ((run["id"], run) for run in runs))

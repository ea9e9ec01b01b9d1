"""Store tables of the Canvas world.

Enrollments cannot be changed through the API the sandbox serves, so the seed writes each one
twice, where it is read: on the user (``_enrollments``: [course id, type] pairs, for "what may this
user do") and on the course (``_roster``: type -> user ids, for the course filters and counts).
"""

ACCOUNTS = "canvas_accounts"
TERMS = "canvas_enrollment_terms"
USERS = "canvas_users"
COURSES = "canvas_courses"
TOKENS = "canvas_access_tokens"
TOKEN_SECRETS = "canvas_access_token_secrets"  # secret -> {"token_id"}: authentication is one lookup
NOTIFICATIONS = "canvas_account_notifications"
REPORTS = "canvas_account_reports"
DOMAINS = "canvas_account_domains"  # the directory GET /accounts/search answers from

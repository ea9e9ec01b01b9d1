"""Store tables of the Canvas world.

Enrollments are rows of ENROLLMENTS (one per user, section and type, with its workflow state).
Their live part (invited and active ones: Canvas's ``student_enrollments`` association leaves out
rejected, completed, deleted and inactive ones) is copied where it is read on every request: on
the user (``_enrollments``: [course id, type] pairs, for "what may this user do") and on the course
(``_roster``: type -> user ids, for the course filters and counts). rules/enrollments.py's ``sync``
is the one writer of those copies.
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
SECTIONS = "canvas_course_sections"
ENROLLMENTS = "canvas_enrollments"
ASSIGNMENT_GROUPS = "canvas_assignment_groups"
ASSIGNMENTS = "canvas_assignments"
SUBMISSIONS = "canvas_submissions"
PROGRESS = "canvas_progress"  # background jobs a client polls with GET /progress/:id

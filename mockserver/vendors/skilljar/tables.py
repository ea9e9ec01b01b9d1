"""Store tables of the Skilljar world."""

API_KEYS = "skilljar_api_keys"
DOMAINS = "skilljar_domains"
COURSES = "skilljar_courses"
PUBLISHED_COURSES = "skilljar_published_courses"
USERS = "skilljar_users"
DOMAIN_USERS = "skilljar_domain_users"
ENROLLMENTS = "skilljar_enrollments"
WEBHOOKS = "skilljar_webhooks"


def membership_id(domain: str, user_id: str) -> str:
    return f"{domain}:{user_id}"

"""Webhook operations with behaviour: the test ping and the sample payloads (CRUD is generic)."""

from __future__ import annotations

from mockserver.sandbox import current
from mockserver.vendors.skilljar import tables as t
from mockserver.vendors.skilljar.records import require
from mockserver.vendors.skilljar.rules import events


def webhooks_ping_create(webhook_id):
    return events.ping(require(current().store, t.WEBHOOKS, webhook_id, "webhook"))


def webhooks_sample_course_completion_retrieve():
    return events.sample("COURSE_COMPLETION")


def webhooks_sample_course_enrollment_retrieve():
    return events.sample("COURSE_ENROLLMENT")


def webhooks_sample_dashboard_task_created_retrieve():
    return events.sample("DASHBOARD_TASK_CREATED")


def webhooks_sample_domain_enrollment_retrieve():
    return events.sample("DOMAIN_ENROLLMENT")


def webhooks_sample_lesson_completion_retrieve():
    return events.sample("LESSON_COMPLETION")


def webhooks_sample_path_completion_retrieve():
    return events.sample("PATH_COMPLETION")


def webhooks_sample_path_enrollment_retrieve():
    return events.sample("PATH_ENROLLMENT")


def webhooks_sample_purchase_fulfillment_retrieve():
    return events.sample("PURCHASE_FULFILLMENT")


def webhooks_sample_quiz_completion_retrieve():
    return events.sample("QUIZ_COMPLETION")


def webhooks_sample_vilt_registration_retrieve():
    return events.sample("VILT_EVENT_REGISTRATION")


__all__ = [name for name in dir() if name.startswith("webhooks_")]

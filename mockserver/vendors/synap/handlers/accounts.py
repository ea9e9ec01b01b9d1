"""Hand-written operations of the Authentication, Users, User Groups, Access Policies, Billing groups."""

from __future__ import annotations

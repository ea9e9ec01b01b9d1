"""Hand-written operations of the Shop, Certificates, Content Metadata, Integrations, Notifications, Search, User Feedback groups."""

from __future__ import annotations

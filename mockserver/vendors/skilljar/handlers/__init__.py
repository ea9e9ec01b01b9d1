"""Hand-written Skilljar operations, one module per group of resources; plain CRUD is generic
(resources.py). Every operationId resolves to a name exported here."""

from mockserver.vendors.skilljar.handlers.access import *  # noqa: F401,F403
from mockserver.vendors.skilljar.handlers.commerce import *  # noqa: F401,F403
from mockserver.vendors.skilljar.handlers.content import *  # noqa: F401,F403
from mockserver.vendors.skilljar.handlers.core import *  # noqa: F401,F403
from mockserver.vendors.skilljar.handlers.journeys import *  # noqa: F401,F403
from mockserver.vendors.skilljar.handlers.live import *  # noqa: F401,F403
from mockserver.vendors.skilljar.handlers.webhooks import *  # noqa: F401,F403
from mockserver.vendors.skilljar.handlers.labels import *  # noqa: F401,F403
from mockserver.vendors.skilljar.handlers.publishing import *  # noqa: F401,F403
from mockserver.vendors.skilljar.handlers.catalog import *  # noqa: F401,F403

"""Canvas operations, one module per documented resource; every operationId resolves to a name
exported here. Handlers are thin: who acts (auth.actor), a rule, a serializer, a page."""

from mockserver.vendors.canvas.handlers.accounts import *  # noqa: F401,F403
from mockserver.vendors.canvas.handlers.assignments import *  # noqa: F401,F403
from mockserver.vendors.canvas.handlers.calendars import *  # noqa: F401,F403
from mockserver.vendors.canvas.handlers.courses import *  # noqa: F401,F403
from mockserver.vendors.canvas.handlers.enrollments import *  # noqa: F401,F403
from mockserver.vendors.canvas.handlers.files import *  # noqa: F401,F403
from mockserver.vendors.canvas.handlers.notifications import *  # noqa: F401,F403
from mockserver.vendors.canvas.handlers.reports import *  # noqa: F401,F403
from mockserver.vendors.canvas.handlers.sections import *  # noqa: F401,F403
from mockserver.vendors.canvas.handlers.submissions import *  # noqa: F401,F403
from mockserver.vendors.canvas.handlers.terms import *  # noqa: F401,F403
from mockserver.vendors.canvas.handlers.tokens import *  # noqa: F401,F403
from mockserver.vendors.canvas.handlers.users import *  # noqa: F401,F403

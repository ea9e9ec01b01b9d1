"""Hand-written Synap operations, by group of the seed's operation list (the rest are served by the
generic controller in resources.py, named by ``x-mock`` in the spec). operationIds resolve here."""

from mockserver.vendors.synap.handlers.core import *  # noqa: F401,F403
from mockserver.vendors.synap.handlers.accounts import *  # noqa: F401,F403
from mockserver.vendors.synap.handlers.quizzes import *  # noqa: F401,F403
from mockserver.vendors.synap.handlers.collections import *  # noqa: F401,F403
from mockserver.vendors.synap.handlers.exams import *  # noqa: F401,F403
from mockserver.vendors.synap.handlers.courses import *  # noqa: F401,F403
from mockserver.vendors.synap.handlers.commerce import *  # noqa: F401,F403
from mockserver.vendors.synap.handlers.attempts import *  # noqa: F401,F403

"""An offline, stateful staging sandbox for learning-platform APIs."""

__version__ = "0.1.0"

import warnings

# Connexion imports starlette.testclient at import time, which warns about httpx on every start.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

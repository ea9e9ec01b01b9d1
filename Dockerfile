# mockserver: the offline staging sandbox as a container.
#
#   docker build -t mockserver .
#   docker run --rm -p 8080:8080 mockserver                # all vendors, seed 42
#   docker run --rm -p 8080:8080 mockserver run --seed 7   # arguments replace CMD, not the entrypoint
#
# tests/core/test_packaging.py runs these same steps (wheel build, clean install, env-var
# configuration, the HEALTHCHECK command) in a fresh venv, since CI has no Docker engine.

# ---- builder: turn the source tree into one wheel ---------------------------------------------
FROM python:3.11-slim AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src

# Only what the wheel is built from. README.md is the project's `readme` (hatchling fails without
# it); openapi/ and fixtures/ live at the top level and pyproject's force-include puts them into the
# wheel under mockserver/_data/, so the installed package needs no source checkout at run time.
COPY pyproject.toml README.md ./
COPY mockserver/ mockserver/
COPY openapi/ openapi/
COPY fixtures/ fixtures/

# --no-deps: only our wheel; the runtime stage resolves dependencies from PyPI itself.
RUN pip wheel --no-deps -w /dist .

# ---- runtime: the installed wheel, no sources, no build tools ---------------------------------
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1

COPY --from=builder /dist /dist
RUN pip install --no-cache-dir /dist/*.whl

# Run unprivileged: the sandbox needs no root (port 8080 is not a privileged port).
RUN useradd --create-home --uid 10001 sandbox
USER sandbox
# An empty working directory: proves the sandbox finds its specs and fixtures inside the package.
WORKDIR /home/sandbox
# Check the packaged specs once, at build time: this warms ~/.cache/mockserver with what a start
# would otherwise redo (the specs parsed and resolved, their OpenAPI-schema check, the default
# seeded world), each keyed by the hash of its inputs, so the container starts in well under a second.
RUN mockserver check

# The CLI reads every option from a MOCKSERVER_* variable (docker run -e MOCKSERVER_SEED=7 ...).
# Inside a container the sandbox must listen on all interfaces to be reachable through -p.
ENV MOCKSERVER_HOST=0.0.0.0 MOCKSERVER_PORT=8080
EXPOSE 8080

# python:3.11-slim has no curl, so the probe is Python's urllib. It follows MOCKSERVER_PORT (so
# `-e MOCKSERVER_PORT=9000` keeps it right; a `--port` argument would not). Any non-200 answer or
# connection error exits non-zero. start-period covers seeding the world before uvicorn listens.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:%s/__admin/health' % os.environ.get('MOCKSERVER_PORT', '8080'), timeout=3).status == 200 else 1)"]

# ENTRYPOINT is the program and CMD its default arguments, so `docker run IMAGE run --seed 7`
# or `docker run IMAGE routes` work; exec form makes mockserver PID 1 and receive SIGTERM directly.
ENTRYPOINT ["mockserver"]
CMD ["run", "--host", "0.0.0.0"]

"""The Dockerfile, checked without a Docker engine.

The fast tests read the Dockerfile and .dockerignore. The slow one replays the image's steps in a
clean venv: build the wheel from exactly what the builder stage COPYs, ``pip install`` it into a
fresh venv (dependencies through pip's normal configuration), start ``mockserver run`` from an empty
directory configured only through MOCKSERVER_* variables, and probe it with the HEALTHCHECK command.
The server only ever binds 127.0.0.1.
"""

from __future__ import annotations

import fnmatch
import glob
import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
import venv
from dataclasses import dataclass, field
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO / "Dockerfile"
DOCKERIGNORE = REPO / ".dockerignore"


# ---- a small Dockerfile reader -----------------------------------------------------------------

@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]

    def last(self, keyword: str) -> str | None:
        found = self.all(keyword)
        return found[-1] if found else None

    def env(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for args in self.all("ENV"):
            parts = shlex.split(args)
            if len(parts) >= 2 and "=" not in parts[0]:  # legacy form: ENV KEY value with spaces
                values[parts[0]] = " ".join(parts[1:])
            else:
                values.update(part.split("=", 1) for part in parts)
        return values


def read_dockerfile(path: Path = DOCKERFILE) -> list[Stage]:
    """Instructions per stage: comments dropped, ``\\`` continuations joined."""
    logical: list[str] = []
    pending = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1].strip() + " "
            continue
        logical.append(pending + line)
        pending = ""
    assert not pending, "the Dockerfile ends inside a line continuation"

    stages: list[Stage] = []
    for line in logical:
        keyword, _, args = line.partition(" ")
        keyword, args = keyword.upper(), args.strip()
        if keyword == "FROM":
            parts = args.split()
            name = parts[2] if len(parts) == 3 and parts[1].upper() == "AS" else None
            stages.append(Stage(base=parts[0], name=name))
        elif keyword == "ARG" and not stages:
            continue
        else:
            assert stages, f"{keyword} before the first FROM"
            stages[-1].instructions.append((keyword, args))
    return stages


def exec_form(args: str) -> list[str]:
    value = json.loads(args)
    assert isinstance(value, list) and all(isinstance(v, str) for v in value), f"not exec form: {args}"
    return value


def healthcheck(stage: Stage) -> tuple[dict[str, str], list[str]]:
    """(options, command) of the stage's HEALTHCHECK, which must use the exec form."""
    args = stage.last("HEALTHCHECK")
    assert args, "the final stage has no HEALTHCHECK"
    head, sep, command = args.partition("CMD ")
    assert sep, f"HEALTHCHECK without CMD: {args}"
    options = dict(opt.lstrip("-").split("=", 1) for opt in head.split())
    return options, exec_form(command)


def builder_and_final() -> tuple[Stage, Stage]:
    stages = read_dockerfile()
    assert len(stages) >= 2, "expected a builder stage and a runtime stage"
    return stages[0], stages[-1]


def copied_sources(stage: Stage) -> list[tuple[str, str]]:
    """(source, destination) of every COPY from the build context (not --from another stage)."""
    pairs = []
    for args in stage.all("COPY"):
        parts = shlex.split(args)
        if any(p.startswith("--from") for p in parts):
            continue
        parts = [p for p in parts if not p.startswith("--")]
        *sources, dest = parts
        pairs += [(src, dest) for src in sources]
    return pairs


def dockerignore_patterns() -> list[str]:
    return [line.strip() for line in DOCKERIGNORE.read_text().splitlines()
            if line.strip() and not line.strip().startswith("#")]


def ignored(relative: str, patterns: list[str]) -> bool:
    """Roughly Docker's rules: a pattern is anchored at the context root and excludes a directory's
    contents too; a leading ``**/`` matches at any depth."""
    parts = relative.strip("/").split("/")
    prefixes = ["/".join(parts[:end]) for end in range(1, len(parts) + 1)]
    anywhere = ["/".join(parts[start:end]) for start in range(len(parts)) for end in range(start + 1, len(parts) + 1)]
    for pattern in patterns:
        pattern = pattern.strip("/")
        if pattern.startswith("**/"):
            if any(fnmatch.fnmatchcase(c, pattern[3:]) for c in anywhere):
                return True
        elif any(fnmatch.fnmatchcase(c, pattern) for c in prefixes):
            return True
    return False


# ---- fast: what the Dockerfile declares --------------------------------------------------------

def test_dockerfile_declares_a_non_root_healthchecked_sandbox_on_8080():
    builder, final = builder_and_final()
    assert builder.base == final.base == "python:3.11-slim"

    user = final.last("USER")
    assert user and user.split(":")[0] not in ("root", "0"), f"the final stage runs as {user!r}"
    assert "/home/" in (final.last("WORKDIR") or ""), "the sandbox should start in the user's home"

    assert any("8080" in args.split() or "8080/tcp" in args.split() for args in final.all("EXPOSE"))
    env = final.env()
    assert env.get("MOCKSERVER_HOST") == "0.0.0.0" and env.get("MOCKSERVER_PORT") == "8080"

    options, command = healthcheck(final)
    assert command[:2] == ["python", "-c"] and "/__admin/health" in command[2]
    assert "127.0.0.1" in command[2] and "urllib.request" in command[2]
    assert {"interval", "timeout", "start-period", "retries"} <= options.keys()

    entrypoint, cmd = exec_form(final.last("ENTRYPOINT")), exec_form(final.last("CMD"))
    assert entrypoint == ["mockserver"], "arguments to `docker run IMAGE ...` must reach the CLI"
    assert entrypoint + cmd == ["mockserver", "run", "--host", "0.0.0.0"]

    assert any(shlex.split(r)[:3] == ["pip", "wheel", "--no-deps"] for r in builder.all("RUN"))
    assert any(shlex.split(r)[:3] == ["pip", "install", "--no-cache-dir"] for r in final.all("RUN"))


def test_dockerignore_keeps_every_input_of_the_wheel():
    builder, _ = builder_and_final()
    patterns = dockerignore_patterns()
    for needed in (".venv", ".git", "dist", "build", "bench/.prism", "mockserver/__pycache__"):
        assert ignored(needed, patterns), f".dockerignore should exclude {needed}"
    sources = [src for src, _ in copied_sources(builder)]
    for required in ("pyproject.toml", "README.md", "mockserver/", "openapi/", "fixtures/"):
        assert required in sources, f"the builder stage does not COPY {required}"
    for src in sources:
        assert (REPO / src).exists(), f"COPY {src}: no such path in the repository"
        assert not ignored(src, patterns), f"COPY {src}, but .dockerignore excludes it"


# ---- slow: the same steps, for real, in a clean venv -------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(cmd: list[str], timeout: float, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kwargs)
    assert result.returncode == 0, (
        f"{shlex.join(cmd)} exited {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result


def build_context(builder: Stage, context: Path) -> None:
    """Only what the builder stage COPYs, minus what .dockerignore drops (as the daemon would send)."""
    patterns = dockerignore_patterns()
    for src, dest in copied_sources(builder):
        source = REPO / src
        target = context / dest.lstrip("/") / (source.name if dest.endswith("/") and source.is_file() else "")
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True,
                            ignore=lambda d, names: [n for n in names
                                                     if ignored(os.path.relpath(Path(d) / n, REPO), patterns)])
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def clean_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("MOCKSERVER_") and k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "XDG_CACHE_HOME")}
    env.update(overrides)
    return env


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def test_dockerfile_steps_build_a_working_install_in_a_clean_venv(tmp_path):
    builder, final = builder_and_final()

    # builder stage: COPY the listed inputs, then its `pip wheel --no-deps -w /dist .`
    context, dist = tmp_path / "context", tmp_path / "dist"
    build_context(builder, context)
    wheel_step = next(shlex.split(r) for r in builder.all("RUN") if shlex.split(r)[:2] == ["pip", "wheel"])
    wheel_cmd = [str(dist) if arg == "/dist" else arg for arg in wheel_step]
    run([sys.executable, "-m", *wheel_cmd], timeout=600, cwd=context, env=clean_env())
    wheels = sorted(dist.glob("mockserver-*.whl"))
    assert len(wheels) == 1, f"expected one mockserver wheel, got {wheels}"

    # runtime stage: a fresh venv, then its `pip install --no-cache-dir /dist/*.whl`, minus the
    # cache flag (it only keeps the image small; pip's cache keeps reruns of this test fast)
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python, mockserver = env_dir / "bin" / "python", env_dir / "bin" / "mockserver"
    install_step = next(shlex.split(r) for r in final.all("RUN") if shlex.split(r)[:2] == ["pip", "install"])
    install_cmd = []
    for arg in install_step:
        if arg == "--no-cache-dir":
            continue
        install_cmd += sorted(glob.glob(str(dist) + arg[len("/dist"):])) if arg.startswith("/dist/") else [arg]
    run([str(python), "-m", *install_cmd], timeout=900, cwd=tmp_path, env=clean_env())
    assert mockserver.exists(), "the wheel installs no `mockserver` console script"

    # the package, its specs and fixtures all come from the venv, not from this checkout
    workdir = tmp_path / "home"  # plays WORKDIR /home/sandbox: empty
    workdir.mkdir()
    probe = run([str(python), "-c", "import mockserver.package_data as r; "
                 "print(r.data_dir('openapi')); print(r.data_dir('fixtures'))"],
                timeout=60, cwd=workdir, env=clean_env())
    for located in probe.stdout.split():
        assert Path(located).resolve().is_relative_to(env_dir.resolve()), f"{located} is outside the venv"
        assert "_data" in Path(located).parts

    # the image's own `mockserver ...` build steps (the spec check that warms the validation cache),
    # as the sandbox user whose home is WORKDIR
    for step in (shlex.split(r) for r in final.all("RUN") if shlex.split(r)[0] == "mockserver"):
        run([str(mockserver), *step[1:]], timeout=300, cwd=workdir, env=clean_env(HOME=str(workdir)))
    for kind in ("validated", "specs", "worlds"):  # what a start reads instead of redoing
        assert list((workdir / ".cache" / "mockserver" / kind).iterdir()), f"the image build warms no {kind} cache"

    # ENTRYPOINT + `run`, configured like the image: its ENV, with HOST narrowed to loopback here
    port = free_port()
    image_env = final.env()
    assert image_env["MOCKSERVER_HOST"] == "0.0.0.0"
    server_env = clean_env(**{**image_env, "MOCKSERVER_HOST": "127.0.0.1", "MOCKSERVER_PORT": str(port),
                              "HOME": str(workdir)})
    entrypoint = exec_form(final.last("ENTRYPOINT"))
    assert entrypoint == ["mockserver"]
    log_path = tmp_path / "server.log"
    origin = f"http://127.0.0.1:{port}"

    with open(log_path, "w") as log:
        process = subprocess.Popen([str(mockserver), "run"], cwd=workdir, env=server_env,
                                   stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        health = None
        while time.monotonic() < deadline:
            assert process.poll() is None, f"mockserver exited {process.returncode}:\n{log_path.read_text()}"
            try:
                health = requests.get(origin + "/__admin/health", timeout=2)
                if health.status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.25)
        assert health is not None and health.status_code == 200, \
            f"no healthy sandbox on {origin} within 60 s:\n{log_path.read_text()}"
        assert health.json()["status"] == "ok" and "quiz" in health.json()["vendors"]
        # the banner names the interface from MOCKSERVER_HOST (0.0.0.0 would print localhost)
        assert origin in log_path.read_text(), "MOCKSERVER_HOST/MOCKSERVER_PORT were not honoured"

        # the HEALTHCHECK command itself, run by the venv's python with the image's environment
        _, check = healthcheck(final)
        assert check[0] == "python"
        probe = subprocess.run([str(python), *check[1:]], cwd=workdir, env=server_env,
                               capture_output=True, text=True, timeout=30)
        assert probe.returncode == 0, f"HEALTHCHECK failed:\n{probe.stdout}\n{probe.stderr}"

        credentials = requests.get(origin + "/__admin/credentials", timeout=10)
        assert credentials.status_code == 200, credentials.text
        token = credentials.json()["quiz"]["token"]
        session = requests.get(origin + "/quiz/api/v3/quiz/sessions/1",
                               headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert session.status_code == 200, session.text
    finally:
        stop(process)
    assert process.returncode is not None

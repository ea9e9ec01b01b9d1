"""deploy/nginx.conf on loopback, run by an ordinary nginx as the current user (no Docker).

tests/core/test_scaleout.py and bench/scaleout.py run the shipped file this way, so what they test
and measure is the routing the deployment uses: the same `upstream` (hash, server parameters,
keepalive) and the same `location`, with the compose service names swapped for loopback ports.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
from pathlib import Path

SHIPPED = Path(__file__).resolve().parent / "nginx.conf"
_SERVER_LINE = re.compile(r"^([ \t]*)server sandbox-\d+:8080((?: [^;\n]*)?);\n", re.M)


def nginx_binary() -> str | None:
    """Debian puts nginx in /usr/sbin, which is not on every user's PATH."""
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None


def loopback_conf(listen: int, upstreams: list[int], prefix: Path, shipped: str | None = None) -> str:
    """The shipped nginx.conf listening on 127.0.0.1:listen in front of 127.0.0.1:<each upstream>,
    with its pid, logs and temp files under prefix."""
    text = SHIPPED.read_text() if shipped is None else shipped
    servers = _SERVER_LINE.findall(text)
    if not servers:
        raise ValueError("nginx.conf: no `server sandbox-N:8080 ...;` lines in upstream sandbox")
    indent, params = servers[0]
    ours = "".join(f"{indent}server 127.0.0.1:{port}{params};\n" for port in upstreams)
    conf = _SERVER_LINE.sub("", text)
    conf, found = re.subn(r"^([ \t]*hash \$http_x_sandbox_tenant consistent;\n)",
                          lambda m: m.group(1) + ours, conf, flags=re.M)
    if found != 1:
        raise ValueError("nginx.conf: upstream sandbox must say `hash $http_x_sandbox_tenant consistent;`")
    conf, found = re.subn(r"^([ \t]*)listen 8080;", rf"\g<1>listen 127.0.0.1:{listen};", conf, flags=re.M)
    if found != 1:
        raise ValueError("nginx.conf: expected one `listen 8080;`")
    temp = "".join(f"    {kind}_temp_path {prefix / kind};\n"
                   for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = conf.replace("http {\n", "http {\n" + temp, 1)
    # As root, nginx's workers would switch to `nobody`, which cannot enter a 0700 temp prefix.
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else ""
    return f"{user}pid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'} warn;\n" + conf


def nginx_argv(nginx: str, prefix: Path, conf: Path) -> list[str]:
    """Run in the foreground (the caller owns the process); -e keeps startup errors in prefix too."""
    return [nginx, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log"), "-g", "daemon off;"]

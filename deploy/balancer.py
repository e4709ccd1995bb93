"""The balancer of deploy/local.py: deploy/nginx.conf rendered for one machine, and nginx itself.

The template is the one Compose uses (the nginx image fills its placeholders with envsubst); here
``render_site`` fills the same three, and ``write_config`` wraps the site in a main configuration that
keeps everything nginx writes under the run directory (``-p``), so it needs no root.
"""

import os
import shutil
import subprocess
from pathlib import Path

TEMPLATE = Path(__file__).resolve().with_name("nginx.conf")
PLACEHOLDERS = ("NN_LISTEN", "NN_UPSTREAM_SERVERS", "NN_ACCESS_LOG")

# The main configuration around the template: everything under the run directory (-p), no root.
MAIN_CONF = """\
# Written by deploy/local.py: the main configuration around deploy/nginx.conf (rendered as site.conf).
daemon off;
worker_processes {workers};
pid {run_dir}/nginx.pid;
error_log {run_dir}/nginx-error.log notice;

events {{
    worker_connections 4096;
}}

http {{
    default_type application/octet-stream;
    client_body_temp_path {run_dir}/nginx-temp/client_body;
    proxy_temp_path {run_dir}/nginx-temp/proxy;
    fastcgi_temp_path {run_dir}/nginx-temp/fastcgi;
    uwsgi_temp_path {run_dir}/nginx-temp/uwsgi;
    scgi_temp_path {run_dir}/nginx-temp/scgi;
    include {run_dir}/site.conf;
}}
"""


def render_site(listen, servers, access_log, template=None):
    """deploy/nginx.conf with its three placeholders filled in, as envsubst does in the nginx image.
    ``servers``: "host:port" strings, one ``server`` line each."""
    text = template if template is not None else TEMPLATE.read_text()
    values = {
        "NN_LISTEN": str(listen),
        "NN_UPSTREAM_SERVERS": " ".join(f"server {s};" for s in servers),
        "NN_ACCESS_LOG": str(access_log),
    }
    for name, value in values.items():
        text = text.replace("${" + name + "}", value)
    if "${NN_" in text:
        raise ValueError("deploy/nginx.conf has a placeholder deploy/local.py does not fill in")
    return text


def write_config(run_dir, listen, servers, workers=1):
    """Render the site and the main configuration into ``run_dir``; return the main one's path."""
    run_dir = Path(run_dir).resolve()
    (run_dir / "nginx-temp").mkdir(parents=True, exist_ok=True)
    (run_dir / "site.conf").write_text(render_site(listen, servers, run_dir / "access.log"))
    main = run_dir / "nginx.conf"
    main.write_text(MAIN_CONF.format(run_dir=run_dir, workers=workers))
    return main


def nginx_binary():
    """nginx from $NGINX, PATH or /usr/sbin (Debian puts it there, outside a user's PATH)."""
    found = os.environ.get("NGINX") or shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if not found:
        raise RuntimeError("nginx not found: apt-get install nginx (or set NGINX=/path/to/nginx)")
    return found


def nginx_command(main_conf):
    run_dir = Path(main_conf).parent
    return [nginx_binary(), "-p", str(run_dir), "-c", str(main_conf), "-e", str(run_dir / "nginx-error.log")]


def check_config(main_conf):
    """``nginx -t`` on a written configuration: (ok, nginx's output)."""
    result = subprocess.run(
        [*nginx_command(main_conf), "-t"], capture_output=True, text=True, timeout=30, check=False
    )
    return result.returncode == 0, result.stderr + result.stdout

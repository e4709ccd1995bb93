"""deploy/nginx.conf, the balancer's template, parses (``nginx -t``) as deploy/local.py renders it and
with compose's values; its placeholders are exactly those both fill in; and the Docker files agree
with it (the service name, the port, the health check). nginx must be installed (CI installs it):
a missing nginx fails, it does not skip."""

import re
import shlex
from pathlib import Path

import pytest
import yaml

from deploy import balancer

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
PLACEHOLDER = re.compile(r"\$\{(\w+)\}")


@pytest.fixture
def nginx():
    try:
        return balancer.nginx_binary()
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)


def compose():
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def nginx_t(main_conf):
    ok, output = balancer.check_config(main_conf)
    return ok, output


def test_the_rendered_local_config_passes_nginx_t(nginx, tmp_path):
    main = balancer.write_config(tmp_path, "127.0.0.1:18080", ["127.0.0.1:18601", "127.0.0.1:18602"])
    ok, output = nginx_t(main)
    assert ok, output
    site = (tmp_path / "site.conf").read_text()
    assert "server 127.0.0.1:18601; server 127.0.0.1:18602;" in site
    assert "listen 127.0.0.1:18080;" in site and "${" not in site


def test_compose_values_pass_nginx_t(nginx, tmp_path):
    """The values compose gives the template, the service name swapped for an address (nginx -t
    resolves names, and `app` only exists inside compose's network)."""
    env = compose()["services"]["balancer"]["environment"]
    servers = env["NN_UPSTREAM_SERVERS"].replace("app:", "127.0.0.1:")
    text = (DEPLOY / "nginx.conf").read_text()
    for name, value in env.items():
        text = text.replace("${" + name + "}", value if name != "NN_UPSTREAM_SERVERS" else servers)
    text = text.replace("/dev/stdout", str(tmp_path / "access.log"))
    main = balancer.write_config(tmp_path, "x", [])
    (tmp_path / "site.conf").write_text(text)
    ok, output = nginx_t(main)
    assert ok, output


def test_nginx_t_rejects_a_broken_template(nginx, tmp_path):
    broken = (DEPLOY / "nginx.conf").read_text().replace("hash $nnpg_route consistent;", "hash;")
    main = balancer.write_config(tmp_path, "127.0.0.1:18080", ["127.0.0.1:18601"])
    (tmp_path / "site.conf").write_text(balancer.render_site("127.0.0.1:18080", ["127.0.0.1:1"], "x", broken))
    ok, output = nginx_t(main)
    assert not ok and "hash" in output, output


def test_the_placeholders_are_the_ones_local_and_compose_fill_in():
    template = (DEPLOY / "nginx.conf").read_text()
    used = set(PLACEHOLDER.findall(template))
    assert used == set(balancer.PLACEHOLDERS)
    service = compose()["services"]["balancer"]
    assert {k for k in service["environment"] if k.startswith("NN_")} == used
    with pytest.raises(ValueError):
        balancer.render_site("80", ["a:1"], "x", template + "\n# ${NN_SOMETHING_NEW}\n")


def test_the_template_is_sticky_by_its_own_cookie_and_proxies_websockets():
    text = (DEPLOY / "nginx.conf").read_text()
    assert re.search(r"hash \$nnpg_route consistent;", text)
    assert re.search(r'""\s+"nnpg_route=\$request_id;', text)  # set by the balancer when missing
    assert "ip_hash" not in re.sub(r"#.*", "", text)
    stream = re.search(r"location = /_stcore/stream \{(.*?)\}", text, re.S).group(1)
    assert re.search(r"proxy_read_timeout (\d+)h;", stream)
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "proxy_set_header Connection $nnpg_connection;" in text


def test_compose_runs_replicas_behind_the_balancer():
    services = compose()["services"]
    app, balancer = services["app"], services["balancer"]
    assert app["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
    assert str(app["deploy"]["replicas"]).endswith(":-2}")  # ${NN_REPLICAS:-2}
    assert app["expose"] == ["8501"]
    assert "./nginx.conf:/etc/nginx/templates/default.conf.template:ro" in balancer["volumes"]
    assert balancer["environment"]["NN_UPSTREAM_SERVERS"] == "server app:8501;"
    assert balancer["depends_on"] == {"app": {"condition": "service_healthy"}}
    assert "STREAMLIT_SERVER_COOKIE_SECRET" in app["environment"]


def test_the_dockerfile_runs_streamlit_with_a_health_check():
    text = (DEPLOY / "Dockerfile").read_text()
    lines = text.replace("\\\n", " ").splitlines()  # continuation lines joined
    assert next(x for x in lines if x.startswith("FROM")) == "FROM python:3.11-slim"
    health = next(x for x in lines if x.startswith("HEALTHCHECK"))
    assert "http://127.0.0.1:8501/_stcore/health" in health
    cmd = next(x for x in lines if x.startswith("CMD"))
    args = yaml.safe_load(cmd.removeprefix("CMD").strip())  # a JSON array
    assert args[:5] == ["python", "-m", "streamlit", "run", "app.py"]
    assert {"--server.address=0.0.0.0", "--server.headless=true", "--server.port=8501"} <= set(args)
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
    for line in lines:
        if line.startswith("COPY"):
            *sources, _ = shlex.split(line)[1:]
            for source in sources:
                path = source.rstrip("/")
                assert (DEPLOY.parent / path).exists(), path
                assert f"!{source}" in ignored, f"{source} is copied but left out of the build context"

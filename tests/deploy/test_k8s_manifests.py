"""deploy/k8s/ against the Kubernetes API schemas (kubernetes-validate, strict: no unknown fields),
offline, plus what the schemas cannot check: the objects fit together (labels, ports, names), every
probe asks /_stcore/health, and the Ingress keeps a browser on its pod with long websocket timeouts.

KUBERNETES_VERSIONS: the oldest version we claim and the newest whose schemas kubernetes-validate
1.37 ships (its wheel carries them: no download, which the network guard below makes sure of).
"""

import copy
import socket
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

K8S_DIR = Path(__file__).resolve().parents[2] / "deploy" / "k8s"
KUBERNETES_VERSIONS = ("1.30.0", "1.37.0")
HEALTH = "/_stcore/health"
MANIFESTS = sorted(p for p in K8S_DIR.glob("*.yaml") if p.name != "kustomization.yaml")


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    """No network: a schema fetched from the internet would fail here instead of passing in CI."""

    def refuse(*args, **kwargs):
        raise OSError("the manifest tests must not use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def documents():
    return [doc for path in MANIFESTS for doc in yaml.safe_load_all(path.read_text()) if doc]


def by_kind():
    found = {}
    for doc in documents():
        assert doc["kind"] not in found, f"two {doc['kind']} objects"
        found[doc["kind"]] = doc
    return found


def test_the_manifests_are_the_ones_kustomize_applies():
    kustomization = yaml.safe_load((K8S_DIR / "kustomization.yaml").read_text())
    assert sorted(kustomization["resources"]) == [p.name for p in MANIFESTS]
    assert set(by_kind()) == {"Deployment", "Service", "Ingress", "PodDisruptionBudget"}


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_each_manifest_is_valid_for_kubernetes(path, version):
    for doc in yaml.safe_load_all(path.read_text()):
        kubernetes_validate.validate(doc, version, strict=True)  # raises ValidationError


@pytest.mark.parametrize(
    "break_it",
    [
        lambda d: d["spec"].__setitem__("replicas", "two"),
        lambda d: d["spec"]["template"]["spec"]["containers"][0].__setitem__("readinesProbe", {}),
        lambda d: d["spec"].pop("selector"),
    ],
    ids=["replicas as text", "misspelt field", "no selector"],
)
def test_the_validator_rejects_a_broken_deployment(break_it):
    broken = copy.deepcopy(by_kind()["Deployment"])
    break_it(broken)
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSIONS[-1], strict=True)


def test_the_objects_fit_together():
    k = by_kind()
    deployment, service, ingress, pdb = k["Deployment"], k["Service"], k["Ingress"], k["PodDisruptionBudget"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    selector = deployment["spec"]["selector"]["matchLabels"]
    assert selector.items() <= labels.items()
    assert service["spec"]["selector"].items() <= labels.items()
    assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert deployment["spec"]["replicas"] >= 2
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports == {"http": 8501}  # streamlit's port in deploy/Dockerfile
    (service_port,) = service["spec"]["ports"]
    assert service_port["targetPort"] in ports
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == service["metadata"]["name"]
    assert backend["port"] in ({"name": service_port["name"]}, {"number": service_port["port"]})


def test_every_probe_asks_streamlits_health_endpoint_and_resources_are_set():
    (container,) = by_kind()["Deployment"]["spec"]["template"]["spec"]["containers"]
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": HEALTH, "port": "http"}, probe
    resources = container["resources"]
    assert resources["requests"]["cpu"] and resources["requests"]["memory"] and resources["limits"]["memory"]
    secret = container["env"][0]
    assert secret["name"] == "STREAMLIT_SERVER_COOKIE_SECRET" and "secretKeyRef" in secret["valueFrom"]


def test_the_ingress_is_sticky_by_cookie_and_keeps_websockets_open():
    ingress = by_kind()["Ingress"]
    annotations = ingress["metadata"]["annotations"]
    prefix = "nginx.ingress.kubernetes.io/"
    assert ingress["spec"]["ingressClassName"] == "nginx"
    assert annotations[prefix + "affinity"] == "cookie"
    assert annotations[prefix + "session-cookie-name"]
    for timeout in ("proxy-read-timeout", "proxy-send-timeout"):
        assert int(annotations[prefix + timeout]) >= 3600, timeout  # seconds; the default is 60
    assert annotations[prefix + "proxy-body-size"] == "6m"  # server.maxUploadSize = 5 (MB)

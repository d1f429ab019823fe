"""deploy/: Kubernetes manifests valid against the bundled schemas (offline), consistent with
each other and with the server; the Dockerfile's structure; compose wiring. No Docker here."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from dockerfile_parse import DockerfileParser

from bots.engine import load_policy_dir
from bots.settings import Settings
from tests.conftest import ROOT, TEMPLATES

DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
#: The oldest Kubernetes minor release we promise to run on.
K8S_VERSION = "1.29"


def documents(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]


def manifests() -> dict[str, dict[str, Any]]:
    out = {}
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for doc in documents(path):
            out[f"{doc['kind']}/{doc['metadata']['name']}"] = doc
    return out


@pytest.mark.parametrize(
    "path", sorted(p.name for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")
)
def test_every_manifest_is_valid_against_the_kubernetes_schema(path: str) -> None:
    for doc in documents(K8S / path):
        # strict: unknown fields are errors too (a typo in a probe would otherwise pass silently)
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)


def test_the_validator_really_rejects_a_broken_manifest() -> None:
    deployment = manifests()["Deployment/nudge"]
    broken = yaml.safe_load(yaml.safe_dump(deployment))
    broken["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"]["paht"] = "/x"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, K8S_VERSION, strict=True)


def test_kustomization_applies_every_manifest_but_the_example_secret() -> None:
    listed = set(documents(K8S / "kustomization.yaml")[0]["resources"])
    files = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml", "secret.example.yaml"}
    assert listed == files


def container() -> dict[str, Any]:
    return manifests()["Deployment/nudge"]["spec"]["template"]["spec"]["containers"][0]


def test_probes_point_at_the_servers_health_routes_on_its_port() -> None:
    c = container()
    port = c["ports"][0]
    assert (port["name"], port["containerPort"]) == (
        "http",
        int(manifests()["ConfigMap/nudge-config"]["data"]["PORT"]),
    )
    assert c["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert c["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert c["readinessProbe"]["timeoutSeconds"] > 2  # /readyz bounds its own checks at 2 s


def test_service_hpa_and_pdb_select_the_deployments_pods() -> None:
    m = manifests()
    labels = m["Deployment/nudge"]["spec"]["template"]["metadata"]["labels"]
    for selector in (
        m["Service/nudge"]["spec"]["selector"],
        m["PodDisruptionBudget/nudge"]["spec"]["selector"]["matchLabels"],
    ):
        assert selector.items() <= labels.items()
    assert m["Service/nudge"]["spec"]["ports"][0]["targetPort"] == "http"
    assert m["HorizontalPodAutoscaler/nudge"]["spec"]["scaleTargetRef"]["name"] == "nudge"
    assert (
        m["HorizontalPodAutoscaler/nudge"]["spec"]["minReplicas"]
        > m["PodDisruptionBudget/nudge"]["spec"]["minAvailable"]
    )


def test_the_grace_period_outlasts_prestop_plus_the_shutdown_bound() -> None:
    spec = manifests()["Deployment/nudge"]["spec"]["template"]["spec"]
    pre_stop = int(container()["lifecycle"]["preStop"]["exec"]["command"][-1])
    bound = float(manifests()["ConfigMap/nudge-config"]["data"]["NUDGE_SHUTDOWN_TIMEOUT"])
    assert spec["terminationGracePeriodSeconds"] > pre_stop + bound


def test_config_and_secret_keys_are_settings_the_server_reads() -> None:
    known = {f.alias for f in Settings.model_fields.values() if f.alias}
    config = set(manifests()["ConfigMap/nudge-config"]["data"])
    secret = set(documents(K8S / "secret.example.yaml")[0]["stringData"])
    assert config <= known and secret <= known, (config | secret) - known
    refs = {r.get("secretRef", {}).get("name") for r in container()["envFrom"]}
    assert "nudge-secrets" in refs


def test_the_policies_configmap_holds_a_policy_that_loads(tmp_path: Path) -> None:
    data = manifests()["ConfigMap/nudge-policies"]["data"]
    for name, text in data.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert load_policy_dir(tmp_path, TEMPLATES).default.rules  # examples run too
    mount = next(v for v in container()["volumeMounts"] if v["name"] == "policies")
    assert mount["mountPath"] == manifests()["ConfigMap/nudge-config"]["data"]["NUDGE_POLICY_DIR"]


def test_pods_run_as_non_root_on_a_read_only_root() -> None:
    pod = manifests()["Deployment/nudge"]["spec"]["template"]["spec"]
    assert (
        pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] != 0
    )
    assert container()["securityContext"]["readOnlyRootFilesystem"] is True


# ---------------------------------------------------------------- Dockerfile (parsed, not built)


def dockerfile() -> list[dict[str, Any]]:
    return [
        i
        for i in DockerfileParser(path=str(DEPLOY / "Dockerfile")).structure
        if i["instruction"] != "COMMENT"
    ]


def final_stage() -> list[dict[str, Any]]:
    steps = dockerfile()
    last_from = max(i for i, s in enumerate(steps) if s["instruction"] == "FROM")
    return steps[last_from:]


def test_dockerfile_is_multi_stage_on_python_311_slim() -> None:
    froms = [s["value"].split()[0] for s in dockerfile() if s["instruction"] == "FROM"]
    assert len(froms) >= 2 and all(f == "python:3.11-slim" for f in froms)
    copies = [s["value"] for s in final_stage() if s["instruction"] == "COPY"]
    assert any(c.startswith("--from=") for c in copies), (
        "the runtime stage should copy the build's output"
    )


def test_dockerfile_runs_as_a_non_root_user() -> None:
    users = [s["value"].split(":")[0] for s in final_stage() if s["instruction"] == "USER"]
    assert users and users[-1] not in ("root", "0")


def test_dockerfile_healthcheck_asks_healthz_and_policies_live_in_app_policies() -> None:
    checks = [s["value"] for s in final_stage() if s["instruction"] == "HEALTHCHECK"]
    assert len(checks) == 1 and "/healthz" in checks[0]
    env = " ".join(s["value"] for s in final_stage() if s["instruction"] == "ENV")
    assert "NUDGE_POLICY_DIR=/app/policies" in env and "NUDGE_HOST=0.0.0.0" in env
    assert any(
        s["value"] == "policies /app/policies" for s in final_stage() if s["instruction"] == "COPY"
    )
    entry = [s["value"] for s in final_stage() if s["instruction"] in ("ENTRYPOINT", "CMD")]
    assert entry == ['["nudge"]', '["serve"]']


def test_dockerignore_lets_in_only_what_the_image_needs() -> None:
    lines = (DEPLOY / "Dockerfile.dockerignore").read_text().split("\n")
    allowed = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    copied = set()
    for step in dockerfile():
        if step["instruction"] == "COPY" and not step["value"].startswith("--from"):
            copied |= set(shlex.split(step["value"])[:-1])
    assert copied <= allowed, copied - allowed


# ---------------------------------------------------------------- compose


def test_compose_runs_nudge_on_postgres_with_mounted_policies() -> None:
    compose = documents(DEPLOY / "compose.yaml")[0]
    nudge, postgres = compose["services"]["nudge"], compose["services"]["postgres"]
    assert nudge["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
    assert (
        compose["services"]["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    )
    assert "healthcheck" in postgres
    url = nudge["environment"]["NUDGE_DATABASE_URL"]
    assert url.startswith("postgresql+asyncpg://") and "@postgres:5432/" in url
    assert "../policies:/app/policies:ro" in nudge["volumes"]
    assert int(nudge["stop_grace_period"].rstrip("s")) > 20


def test_the_healthcheck_command_passes_against_a_live_server_and_fails_without_one(served) -> None:
    import json
    import os
    import subprocess
    import sys

    check = next(s["value"] for s in final_stage() if s["instruction"] == "HEALTHCHECK")
    argv = json.loads(check.split(" CMD ", 1)[1])
    assert argv[0] == "python"
    port = served.url.rsplit(":", 1)[1]
    run = [sys.executable, *argv[1:]]
    alive = subprocess.run(run, env={**os.environ, "PORT": port}, capture_output=True, timeout=20)
    assert alive.returncode == 0, alive.stderr
    served.process.terminate()
    served.process.wait(timeout=20)
    dead = subprocess.run(run, env={**os.environ, "PORT": port}, capture_output=True, timeout=20)
    assert dead.returncode != 0


def test_the_schema_is_migrated_before_any_replica_serves() -> None:
    pod = manifests()["Deployment/nudge"]["spec"]["template"]["spec"]
    init = pod["initContainers"][0]
    assert init["args"] == ["db", "upgrade"] and init["image"] == container()["image"]
    assert {"secretRef": {"name": "nudge-secrets"}} in init["envFrom"]  # the same database URL
    compose = documents(DEPLOY / "compose.yaml")[0]["services"]
    assert compose["migrate"]["command"] == ["db", "upgrade"]
    assert (
        compose["nudge"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    )
    url = compose["nudge"]["environment"]["NUDGE_DATABASE_URL"]
    assert compose["migrate"]["environment"]["NUDGE_DATABASE_URL"] == url

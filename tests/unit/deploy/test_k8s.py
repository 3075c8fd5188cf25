"""deploy/k8s (and docker-compose.yml, which follows it): every manifest loads and is listed by
the kustomization; store, gateway and dedup run as Deployments against the database the Secret
names, with nothing on disk; every variable is a setting; every probe is on the port its service
opens; the restricted security context; replicas, rollouts and disruption budgets that fit each
workload's scaling rule. Each rule is also shown to catch the mistake it is for."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest
import yaml

from tests.unit.deploy.manifests import (
    COMPOSE,
    DATABASE_BACKED,
    K8S,
    SECRET,
    Doc,
    Workload,
    env_file,
    env_problems,
    load_documents,
    of_kind,
    probe_problems,
    secret_problems,
    security_problems,
    selected,
    setting_names,
    volume_problems,
    workloads,
)

FILES = load_documents()
WORKLOADS = {w.name: w for w in workloads(FILES)}
KUSTOMIZATION = FILES["kustomization.yaml"][0]
CONFIG = env_file(K8S / KUSTOMIZATION["configMapGenerator"][0]["envs"][0])
PARTITIONS = int(CONFIG["NEWSFLOW_TOPIC_PARTITIONS"])
KNOWN = setting_names()
NAMES = sorted(WORKLOADS)


def test_the_kustomization_lists_every_manifest_and_only_those() -> None:
    manifests = {name for name in FILES if name != "kustomization.yaml"}
    assert set(KUSTOMIZATION["resources"]) == manifests
    assert len(KUSTOMIZATION["resources"]) == len(manifests)
    for generator in KUSTOMIZATION["configMapGenerator"]:
        for envs in generator["envs"]:
            assert (K8S / envs).is_file()
    assert [image["name"] for image in KUSTOMIZATION["images"]] == ["newsflow"]
    assert {c["image"] for w in WORKLOADS.values() for c in w.containers} == {"newsflow"}


def test_every_service_runs_as_a_workload() -> None:
    assert set(WORKLOADS) == {"ingest", "parser", "dedup", "store", "gateway"}
    for name, workload in WORKLOADS.items():
        assert [c["command"] for c in workload.containers] == [["python", "-m", f"services.{name}"]]


@pytest.mark.parametrize("name", NAMES)
def test_every_variable_is_a_setting(name: str) -> None:
    assert env_problems(WORKLOADS[name], CONFIG, KNOWN) == []


def test_the_shared_settings_hold_no_database_url() -> None:
    assert not any("DATABASE" in key for key in CONFIG)


@pytest.mark.parametrize("name", NAMES)
def test_the_database_comes_from_the_secret(name: str) -> None:
    assert secret_problems(WORKLOADS[name]) == []


@pytest.mark.parametrize("name", NAMES)
def test_nothing_is_kept_on_a_pods_disk(name: str) -> None:
    assert volume_problems(WORKLOADS[name]) == []


@pytest.mark.parametrize("name", NAMES)
def test_probes_are_on_the_port_the_service_opens(name: str) -> None:
    assert probe_problems(WORKLOADS[name]) == []


@pytest.mark.parametrize("name", NAMES)
def test_the_restricted_security_context(name: str) -> None:
    assert security_problems(WORKLOADS[name]) == []


def test_the_namespace_enforces_the_restricted_standard() -> None:
    (namespace,) = of_kind(FILES, "Namespace")
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    assert KUSTOMIZATION["namespace"] == namespace["metadata"]["name"]


def test_replicas_follow_the_scaling_rule() -> None:
    replicas = {name: w.spec["replicas"] for name, w in WORKLOADS.items()}
    # consumer groups: replicas beyond the partitions would idle; the store splits them
    assert 2 <= replicas["store"] <= PARTITIONS
    assert replicas["parser"] <= PARTITIONS
    # one active dedup process and one standby
    assert replicas["dedup"] == 2
    # stateless: several, so one can go
    assert replicas["gateway"] >= 2 and replicas["ingest"] >= 2


@pytest.mark.parametrize("name", DATABASE_BACKED)
def test_a_rollout_starts_the_new_pod_before_it_stops_an_old_one(name: str) -> None:
    # dedup: a standby is there to take the lease over at every step
    rolling = WORKLOADS[name].spec["strategy"]
    assert rolling["type"] == "RollingUpdate"
    assert rolling["rollingUpdate"] == {"maxSurge": 1, "maxUnavailable": 0}


@pytest.mark.parametrize("name", DATABASE_BACKED)
def test_a_disruption_budget_leaves_one_pod_working(name: str) -> None:
    workload = WORKLOADS[name]
    budgets = [
        pdb
        for pdb in of_kind(FILES, "PodDisruptionBudget")
        if selected(pdb["spec"]["selector"]["matchLabels"], [workload])
    ]
    assert len(budgets) == 1
    spec = budgets[0]["spec"]
    allowed = spec.get("maxUnavailable", workload.spec["replicas"] - spec.get("minAvailable", 0))
    assert 1 <= allowed < workload.spec["replicas"]
    assert spec["unhealthyPodEvictionPolicy"] == "AlwaysAllow"


def test_every_budget_and_service_selects_one_workload_by_its_ports() -> None:
    for pdb in of_kind(FILES, "PodDisruptionBudget"):
        assert len(selected(pdb["spec"]["selector"]["matchLabels"], WORKLOADS.values())) == 1
    for service in of_kind(FILES, "Service"):
        (workload,) = selected(service["spec"]["selector"], WORKLOADS.values())
        names = {p["name"] for c in workload.containers for p in c.get("ports", [])}
        assert {p["targetPort"] for p in service["spec"]["ports"]} <= names
    gateway = next(s for s in of_kind(FILES, "Service") if s["metadata"]["name"] == "gateway")
    assert selected(gateway["spec"]["selector"], WORKLOADS.values()) == [WORKLOADS["gateway"]]


def test_the_gateway_polls_ingest_through_its_service() -> None:
    (gateway,) = WORKLOADS["gateway"].containers
    url = next(i["value"] for i in gateway["env"] if i["name"] == "NEWSFLOW_GATEWAY_INGEST_URL")
    ingest = next(s for s in of_kind(FILES, "Service") if s["metadata"]["name"] == "ingest")
    assert url == f"http://ingest:{ingest['spec']['ports'][0]['port']}"
    assert compose_services()["gateway"]["environment"]["NEWSFLOW_GATEWAY_INGEST_URL"] == url


# Each rule catches what it is for: the same checks on broken copies.


def broken(name: str, change: Callable[[Doc], None]) -> Workload:
    workload = WORKLOADS[name]
    doc = copy.deepcopy(workload.doc)
    change(doc)
    return Workload(workload.file, doc)


def container(doc: Doc) -> Doc:
    first: Doc = doc["spec"]["template"]["spec"]["containers"][0]
    return first


def env(doc: Doc, name: str) -> Doc:
    item: Doc = next(i for i in container(doc)["env"] if i["name"] == name)
    return item


def test_a_misspelt_variable_is_caught() -> None:
    def misspell(doc: Doc) -> None:
        env(doc, "NEWSFLOW_DATABASE_URL")["name"] = "NEWSFLOW_DATABASE_URI"

    problems = env_problems(broken("store", misspell), CONFIG, KNOWN)
    assert problems == ["store/store: NEWSFLOW_DATABASE_URI is not a setting"]
    assert env_problems(WORKLOADS["store"], {**CONFIG, "NEWSFLOW_PARTITIONS": "3"}, KNOWN)


@pytest.mark.parametrize(
    ("name", "variable", "change", "expected"),
    [
        ("dedup", "URL", {"optional": True}, "should be required"),
        ("gateway", "READ_URL", {"optional": None}, "should be optional"),
        ("store", "URL", {"name": "other"}, "from other/url"),
        ("gateway", "URL", {"key": "uri"}, f"from {SECRET}/uri"),
    ],
)
def test_a_wrong_secret_reference_is_caught(
    name: str, variable: str, change: dict[str, object], expected: str
) -> None:
    def breaking(doc: Doc) -> None:
        ref = env(doc, f"NEWSFLOW_DATABASE_{variable}")["valueFrom"]["secretKeyRef"]
        for key, value in change.items():
            if value is None:
                del ref[key]
            else:
                ref[key] = value

    problems = secret_problems(broken(name, breaking))
    assert len(problems) == 1 and expected in problems[0]


def test_a_database_url_written_in_the_manifest_is_caught() -> None:
    def written(doc: Doc) -> None:
        item = env(doc, "NEWSFLOW_DATABASE_URL")
        item.pop("valueFrom")
        item["value"] = "postgresql://newsflow:secret@db/newsflow"

    problems = secret_problems(broken("store", written))
    assert "given as text" in problems[0] and "not from a Secret" in problems[1]


def test_a_volume_claim_is_caught() -> None:
    def claimed(doc: Doc) -> None:
        doc["kind"] = "StatefulSet"
        doc["spec"]["volumeClaimTemplates"] = [{"metadata": {"name": "data"}}]
        doc["spec"]["template"]["spec"]["volumes"].append(
            {"name": "data", "persistentVolumeClaim": {"claimName": "data"}}
        )

    assert len(volume_problems(broken("dedup", claimed))) == 3


def test_a_probe_on_another_port_or_path_is_caught() -> None:
    def moved(doc: Doc) -> None:
        container(doc)["ports"][0]["containerPort"] = 9101
        container(doc)["readinessProbe"]["httpGet"]["path"] = "/healthz"
        del container(doc)["startupProbe"]

    problems = probe_problems(broken("dedup", moved))
    assert problems[0] == "dedup/dedup: no startupProbe"
    assert sum("the service opens 9102" in p for p in problems) == 2
    assert any("readinessProbe on /healthz" in p for p in problems)


def test_a_weakened_security_context_is_caught() -> None:
    def weakened(doc: Doc) -> None:
        doc["spec"]["template"]["spec"]["securityContext"].pop("runAsNonRoot")
        container(doc)["securityContext"]["readOnlyRootFilesystem"] = False

    assert len(security_problems(broken("gateway", weakened))) == 2


# docker-compose.yml runs the same services; with the `postgres` profile, against one database.


def compose_services() -> dict[str, Doc]:
    services: dict[str, Doc] = yaml.safe_load(COMPOSE.read_text("utf-8"))["services"]
    return services


def test_compose_gives_the_services_only_settings() -> None:
    newsflow = {
        name: service
        for name, service in compose_services().items()
        if service.get("command", [])[:2] == ["python", "-m"]
    }
    assert set(newsflow) == set(WORKLOADS)
    for name, service in newsflow.items():
        assert set(service["environment"]) <= KNOWN, name
        assert {"NEWSFLOW_DATABASE_URL", "NEWSFLOW_DATABASE_READ_URL"} <= set(
            service["environment"]
        ), name


def test_compose_runs_postgresql_behind_its_profile() -> None:
    postgres = compose_services()["postgres"]
    assert postgres["profiles"] == ["postgres"]
    assert not postgres["image"].endswith(":latest") and ":" in postgres["image"]
    assert "healthcheck" in postgres

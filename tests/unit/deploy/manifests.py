"""deploy/k8s and docker-compose.yml read as data, and the rules the manifest tests hold them to.

Each ``*_problems`` function returns what is wrong (empty when nothing is), so a test can show
every problem at once and can prove, on a broken copy, that the rule catches what it is for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import yaml
from pydantic import AliasChoices

from services.core.settings import DedupSettings, Settings
from services.core.topology import stage

ROOT = Path(__file__).resolve().parents[3]
K8S = ROOT / "deploy" / "k8s"
COMPOSE = ROOT / "docker-compose.yml"
SECRET = "newsflow-database"
# The workloads that keep their state in the database the Secret names.
DATABASE_BACKED = ("store", "dedup", "gateway")
WORKLOAD_KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet"})
UID = 10001

Doc = dict[str, Any]


def load_documents(directory: Path = K8S) -> dict[str, list[Doc]]:
    """Every manifest file of ``directory`` (its name to its documents), the kustomization
    included."""
    files: dict[str, list[Doc]] = {}
    for path in sorted(directory.glob("*.yaml")):
        documents = [doc for doc in yaml.safe_load_all(path.read_text("utf-8")) if doc]
        files[path.name] = [cast(Doc, doc) for doc in documents]
    return files


def env_file(path: Path) -> dict[str, str]:
    """The ``KEY=VALUE`` lines of an env file (kustomize's ``envs:``), comments left out."""
    pairs: dict[str, str] = {}
    for line in path.read_text("utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs


@dataclass(frozen=True)
class Workload:
    file: str
    doc: Doc

    @property
    def kind(self) -> str:
        return str(self.doc["kind"])

    @property
    def name(self) -> str:
        return str(self.doc["metadata"]["name"])

    @property
    def spec(self) -> Doc:
        return cast(Doc, self.doc["spec"])

    @property
    def pod(self) -> Doc:
        return cast(Doc, self.spec["template"]["spec"])

    @property
    def labels(self) -> dict[str, str]:
        return cast(dict[str, str], self.spec["template"]["metadata"]["labels"])

    @property
    def containers(self) -> list[Doc]:
        return cast(list[Doc], self.pod["containers"])


def workloads(files: Mapping[str, list[Doc]]) -> list[Workload]:
    return [
        Workload(name, doc)
        for name, docs in files.items()
        for doc in docs
        if doc.get("kind") in WORKLOAD_KINDS
    ]


def of_kind(files: Mapping[str, list[Doc]], kind: str) -> list[Doc]:
    return [doc for docs in files.values() for doc in docs if doc.get("kind") == kind]


def setting_names() -> frozenset[str]:
    """Every variable :class:`Settings` reads: ``NEWSFLOW_<FIELD>``, a field's own aliases, and
    ``NEWSFLOW_DEDUP_<FIELD>`` for the dedup settings."""
    prefix = Settings.model_config.get("env_prefix", "")
    names: set[str] = set()
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        if isinstance(alias, AliasChoices):
            names.update(choice.upper() for choice in alias.choices if isinstance(choice, str))
        else:
            names.add(f"{prefix}{name}".upper())
    names.update(f"{prefix}DEDUP_{name}".upper() for name in DedupSettings.model_fields)
    return frozenset(names)


def _default(field: str) -> int:
    return cast(int, Settings.model_fields[field].default)


def opened_port(command: list[str]) -> int:
    """The HTTP port the service a container runs (``python -m services.<name>``) opens, with
    the settings the image leaves at their defaults."""
    name = command[-1].removeprefix("services.")
    if name == "gateway":
        return _default("gateway_port")
    if name == "ingest":
        return _default("ingest_port")
    offset = stage(name).health_port_offset
    if offset is None:
        raise ValueError(f"{name} has no health port")
    return _default("health_port_base") + offset


def env_names(container: Doc, config: Mapping[str, str]) -> list[str]:
    """The variables a container is given: its own and the ConfigMap's (``config``)."""
    own = [str(item["name"]) for item in container.get("env", [])]
    shared = [
        key for ref in container.get("envFrom", []) if "configMapRef" in ref for key in config
    ]
    return own + shared


def env_problems(workload: Workload, config: Mapping[str, str], known: Iterable[str]) -> list[str]:
    settings = set(known) | {"NEWSFLOW_INSTANCE_ID"}  # presence reads it (the pod's name)
    return [
        f"{workload.name}/{container['name']}: {name} is not a setting"
        for container in workload.containers
        for name in env_names(container, config)
        if name.upper() not in settings
    ]


def _env_item(container: Doc, name: str) -> Doc | None:
    return next((item for item in container.get("env", []) if item["name"] == name), None)


def secret_problems(workload: Workload) -> list[str]:
    """A database-backed workload reads ``NEWSFLOW_DATABASE_URL`` from the Secret (required),
    the gateway its read replica too (optional); no workload is given a database URL as text."""
    problems: list[str] = []
    wanted: dict[str, tuple[str, bool]] = {}
    if workload.name in DATABASE_BACKED:
        wanted["NEWSFLOW_DATABASE_URL"] = ("url", False)
    if workload.name == "gateway":
        wanted["NEWSFLOW_DATABASE_READ_URL"] = ("read-url", True)
    for container in workload.containers:
        where = f"{workload.name}/{container['name']}"
        for item in container.get("env", []):
            if "DATABASE" in item["name"] and "value" in item:
                problems.append(f"{where}: {item['name']} given as text, not from a Secret")
        for name, (key, optional) in wanted.items():
            ref = ((_env_item(container, name) or {}).get("valueFrom") or {}).get("secretKeyRef")
            if ref is None:
                problems.append(f"{where}: {name} not from a Secret")
                continue
            if (ref.get("name"), ref.get("key")) != (SECRET, key):
                problems.append(f"{where}: {name} from {ref.get('name')}/{ref.get('key')}")
            if bool(ref.get("optional", False)) != optional:
                problems.append(
                    f"{where}: {name} should be {'optional' if optional else 'required'}"
                )
    return problems


def volume_problems(workload: Workload) -> list[str]:
    """A database-backed workload is a Deployment that keeps nothing on disk: no claim, only
    ``emptyDir`` volumes."""
    if workload.name not in DATABASE_BACKED:
        return []
    problems = [] if workload.kind == "Deployment" else [f"{workload.name} is a {workload.kind}"]
    if workload.spec.get("volumeClaimTemplates"):
        problems.append(f"{workload.name} claims a persistent volume")
    problems += [
        f"{workload.name}: volume {volume['name']} is not an emptyDir"
        for volume in workload.pod.get("volumes", [])
        if set(volume) != {"name", "emptyDir"}
    ]
    return problems


PROBES = {"startupProbe": "/healthz", "livenessProbe": "/healthz", "readinessProbe": "/readyz"}


def probe_problems(workload: Workload) -> list[str]:
    """Each container has a startup, a liveness and a readiness probe, on the paths the health
    router serves and on the port its service opens."""
    problems: list[str] = []
    for container in workload.containers:
        where = f"{workload.name}/{container['name']}"
        ports = {port["name"]: port["containerPort"] for port in container.get("ports", [])}
        opened = opened_port(container["command"])
        for probe, path in PROBES.items():
            http = (container.get(probe) or {}).get("httpGet")
            if http is None:
                problems.append(f"{where}: no {probe}")
                continue
            if http.get("path") != path:
                problems.append(f"{where}: {probe} on {http.get('path')}, not {path}")
            port = ports.get(http.get("port"), http.get("port"))
            if port != opened:
                problems.append(f"{where}: {probe} on port {port}; the service opens {opened}")
    return problems


def security_problems(workload: Workload) -> list[str]:
    """The restricted Pod Security Standard, and no injected service variables."""
    pod, where = workload.pod, workload.name
    context = pod.get("securityContext") or {}
    problems: list[str] = []
    if pod.get("enableServiceLinks") is not False:
        problems.append(f"{where}: service links enabled")
    if context.get("runAsNonRoot") is not True or context.get("runAsUser") != UID:
        problems.append(f"{where}: not run as the non-root user {UID}")
    if (context.get("seccompProfile") or {}).get("type") != "RuntimeDefault":
        problems.append(f"{where}: no RuntimeDefault seccomp profile")
    for container in workload.containers:
        own = container.get("securityContext") or {}
        if own.get("allowPrivilegeEscalation") is not False:
            problems.append(f"{where}/{container['name']}: privilege escalation allowed")
        if own.get("readOnlyRootFilesystem") is not True:
            problems.append(f"{where}/{container['name']}: root filesystem writable")
        if (own.get("capabilities") or {}).get("drop") != ["ALL"]:
            problems.append(f"{where}/{container['name']}: capabilities not all dropped")
    return problems


def selected(selector: Mapping[str, str], found: Iterable[Workload]) -> list[Workload]:
    return [w for w in found if selector and selector.items() <= w.labels.items()]

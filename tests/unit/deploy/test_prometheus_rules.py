"""The Prometheus alert rules are valid, each alert fires on a series made for it, and each
metric they use is one the services really export."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from prometheus_client import REGISTRY

import services.core.httpmetrics
import services.core.metrics
import services.gateway.gauges
import services.gateway.supervisor
import services.ingest.routes  # noqa: F401  (registers the metrics the rules read)

RULES_DIR = Path(__file__).resolve().parents[3] / "deploy" / "prometheus"
RULES = RULES_DIR / "newsflow.rules.yml"
RULE_TESTS = RULES_DIR / "newsflow.rules.test.yml"
INSTALL = (
    "GOBIN=~/.cache/newsflow/bin go install "
    "github.com/prometheus/prometheus/cmd/promtool@v0.316.0  (or `make test`, which runs it)"
)


def promtool() -> str:
    """``$NEWSFLOW_PROMTOOL``, else ``~/.cache/newsflow/bin/promtool``, else ``promtool`` on
    PATH; the test fails, naming the install command, when there is none."""
    candidates = [
        os.environ.get("NEWSFLOW_PROMTOOL"),
        str(Path.home() / ".cache" / "newsflow" / "bin" / "promtool"),
        shutil.which("promtool"),
    ]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    pytest.fail(f"promtool not found; install it with: {INSTALL}", pytrace=False)


def run(*args: str, cwd: Path = RULES_DIR) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [promtool(), *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_rules_are_valid() -> None:
    checked = run("check", "rules", RULES.name)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "SUCCESS: 7 rules found" in checked.stdout


def test_each_alert_fires_on_its_series() -> None:
    tested = run("test", "rules", RULE_TESTS.name)
    assert tested.returncode == 0, tested.stdout + tested.stderr


def test_every_alert_has_a_unit_test() -> None:
    alerts = set(re.findall(r"^\s+- alert: (\w+)", RULES.read_text(), re.MULTILINE))
    tested = set(re.findall(r"alertname: (\w+)", RULE_TESTS.read_text()))
    assert alerts and alerts == tested


def test_a_broken_rule_fails_its_unit_test(tmp_path: Path) -> None:
    # the unit tests can fail: a rule that never fires does not pass them
    broken = RULES.read_text().replace(
        "max by (stage) (newsflow_stage_failing) > 0", "max by (stage) (newsflow_stage_failing) > 1"
    )
    assert broken != RULES.read_text()
    (tmp_path / RULES.name).write_text(broken)
    (tmp_path / RULE_TESTS.name).write_text(RULE_TESTS.read_text())
    tested = run("test", "rules", RULE_TESTS.name, cwd=tmp_path)
    assert tested.returncode != 0 and "NewsflowStageFailing" in tested.stdout + tested.stderr


def test_the_rules_read_only_metrics_the_services_export() -> None:
    exported = {
        sample for family in REGISTRY.collect() for sample in (family.name, f"{family.name}_total")
    }
    used = set(re.findall(r"\b(newsflow_\w+)", RULES.read_text()))
    assert used, "no metric found in the rules"
    assert used <= exported, f"not exported by any service: {sorted(used - exported)}"

"""``newsflow compile``: the quotation modules' build, skipped when up to date, and a failed
build reported with its cause and a non-zero exit (make stops there)."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.parser import native
from services.tools.cli import main


def test_an_up_to_date_build_is_not_rebuilt(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    built: list[Path] = []
    monkeypatch.setattr(native, "build_dir", lambda: tmp_path)
    monkeypatch.setattr(native, "matches", lambda target: True)
    monkeypatch.setattr(native, "build", built.append)
    assert main(["compile", "--native-only"]) == 0
    assert built == []
    assert "up to date" in capsys.readouterr().out


def test_a_stale_build_is_rebuilt(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    built: list[Path] = []
    monkeypatch.setattr(native, "build_dir", lambda: tmp_path)
    monkeypatch.setattr(native, "matches", lambda target: False)
    monkeypatch.setattr(native, "build", built.append)
    assert main(["compile", "--native-only"]) == 0
    assert built == [tmp_path]
    assert "compiled in" in capsys.readouterr().out


@pytest.mark.parametrize("failure", [RuntimeError("error: command 'cc' failed"), SystemExit(1)])
def test_a_failed_build_says_why_and_exits_non_zero(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    failure: BaseException,
) -> None:
    def fail(target: Path) -> Path:
        raise failure

    monkeypatch.setattr(native, "build_dir", lambda: tmp_path)
    monkeypatch.setattr(native, "matches", lambda target: False)
    monkeypatch.setattr(native, "build", fail)
    assert main(["compile", "--native-only"]) == 1
    assert "the mypyc build failed" in capsys.readouterr().err

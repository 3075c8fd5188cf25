"""``newsflow compile``: the parser modules' build, skipped when up to date, and a failed
build reported with its cause and a non-zero exit (make stops there)."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.parser import native
from services.tools.cli import main


@pytest.mark.parametrize(
    ("up_to_date", "rebuilt", "said"),
    [(True, False, "up to date"), (False, True, "compiled in")],
)
def test_the_build_is_made_only_when_it_does_not_match(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    up_to_date: bool,
    rebuilt: bool,
    said: str,
) -> None:
    built: list[Path] = []
    monkeypatch.setattr(native, "build_dir", lambda: tmp_path)
    monkeypatch.setattr(native, "matches", lambda target: up_to_date)
    monkeypatch.setattr(native, "build", built.append)
    assert main(["compile", "--native-only"]) == 0
    assert built == ([tmp_path] if rebuilt else [])
    assert said in capsys.readouterr().out


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

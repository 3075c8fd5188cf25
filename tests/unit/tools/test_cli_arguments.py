"""Only ``exec`` of ``newsflow kafka``/``postgres`` takes a command after it: ``start --help``
prints the help (it once started a server), other extra words are refused before anything
starts."""

from __future__ import annotations

import pytest

from services.tools import cli


@pytest.mark.parametrize("command", ["kafka", "postgres"])
@pytest.mark.parametrize("action", ["start", "stop", "status"])
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_after_an_action_prints_the_help(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
    action: str,
    flag: str,
) -> None:
    def never(*args: object) -> int:
        raise AssertionError("the command ran")

    monkeypatch.setitem(cli.COMMANDS, command, never)
    with pytest.raises(SystemExit) as exited:
        cli.main([command, action, flag])
    assert exited.value.code == 0
    assert f"usage: newsflow {command}" in capsys.readouterr().out


@pytest.mark.parametrize("command", ["kafka", "postgres"])
def test_extra_words_after_an_action_are_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    def never(*args: object) -> int:
        raise AssertionError("the command ran")

    monkeypatch.setitem(cli.COMMANDS, command, never)
    with pytest.raises(SystemExit) as exited:
        cli.main([command, "start", "now"])
    assert exited.value.code == 2
    assert f"{command} start takes no arguments: now" in capsys.readouterr().err

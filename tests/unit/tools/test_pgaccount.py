"""The account the local PostgreSQL server runs as: who it is, where it may go, what it owns."""

from __future__ import annotations

import os
import pwd
from pathlib import Path

import pytest

from services.core.errors import ConfigurationError
from services.tools import pgaccount
from services.tools.pgaccount import Account
from tests.support.postgres import reachable_folder

NOBODY = Account("nobody", 65534, 65534, (65534,))


def test_not_root_runs_the_server_as_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pgaccount, "running_as_root", lambda: False)
    assert pgaccount.server_account() is None
    assert pgaccount.existing_account() is None


def test_root_picks_an_unprivileged_account() -> None:
    account = pgaccount.server_account()
    if os.geteuid() != 0:
        assert account is None
        return
    assert account is not None and account.uid != 0
    known = {entry.pw_name for entry in pwd.getpwall()}
    expected = "postgres" if "postgres" in known else pgaccount.CREATED_ACCOUNT
    assert account.name == expected
    assert account == pgaccount.existing_account()


def test_entering_follows_the_permission_bits() -> None:
    with reachable_folder() as folder:
        _check_entering(folder)


def _check_entering(tmp_path: Path) -> None:
    open_to_all = tmp_path / "open"
    open_to_all.mkdir(mode=0o755)
    assert NOBODY.can_enter(open_to_all / "not-yet" / "made")
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    assert not NOBODY.can_enter(private / "data")
    group = tmp_path / "group"
    group.mkdir()
    group.chmod(0o750)
    member = Account("member", 65533, 65533, (65533, group.stat().st_gid))
    assert member.can_enter(group) and not NOBODY.can_enter(group)
    owner = Account("owner", tmp_path.stat().st_uid, 1, (1,))
    assert owner.can_enter(private)


def test_an_unnamed_owner_is_known_by_its_ids(tmp_path: Path) -> None:
    assert pgaccount.owner_of(tmp_path) is None  # this process's own folder
    if os.geteuid() != 0:
        return
    orphan = tmp_path / "orphan"
    orphan.mkdir()
    os.chown(orphan, 64999, 64998)  # ids no account has here
    owner = pgaccount.owner_of(orphan)
    assert owner == Account("64999", 64999, 64998, (64998,))


def test_running_a_missing_program_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"cannot run .*no-such-program"):
        pgaccount.run([tmp_path / "no-such-program"], None, tmp_path, 5)


def test_a_program_that_hangs_is_stopped(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="did not finish within 1s"):
        pgaccount.run(["sleep", "30"], None, tmp_path, 1)

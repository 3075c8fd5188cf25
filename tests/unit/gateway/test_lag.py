"""Lag arithmetic: control markers are not lag; counts extend incrementally."""

from __future__ import annotations

import pytest

from services.gateway.lag import (
    Counted,
    committed_records,
    extend,
    group_lag,
    offset_lag,
    resume_count,
    scan_stop,
    start_offset,
    visible_lag,
)


def test_start_is_the_commit_or_else_the_first_offset() -> None:
    assert start_offset(7, 0) == 7
    assert start_offset(None, 3) == 3
    assert start_offset(-1, 0) == 0
    assert start_offset(2, 5) == 5  # retention removed what the group had committed


def test_a_caught_up_group_before_a_control_marker_has_no_lag() -> None:
    # committed 4, end 5: offset 4 is the transaction's commit marker; reading it found nothing
    counted = extend(resume_count(None, 4, 5), 5, 0)
    assert visible_lag(counted, 5) == (0, True)


def test_one_transaction_of_two_records_behind_is_a_lag_of_two_not_three() -> None:
    counted = extend(resume_count(None, 4, 7), 7, 2)
    assert visible_lag(counted, 7) == (2, True)


def test_offsets_not_counted_yet_are_an_upper_bound_and_not_exact() -> None:
    base = resume_count(None, 0, 1000)
    stop = scan_stop(base, 1000, max_scan=300)
    assert stop == 300
    partial = extend(base, stop, 150)
    assert visible_lag(partial, 1000) == (850, False)


def test_a_stopped_group_count_is_extended_not_restarted() -> None:
    first = extend(resume_count(None, 10, 14), 14, 3)
    again = resume_count(first, 10, 20)
    assert again is first and scan_stop(again, 20, 500) == 20
    assert visible_lag(extend(again, 20, 5), 20) == (8, True)


def test_a_moved_commit_starts_a_new_count() -> None:
    first = Counted(10, 14, 3)
    assert resume_count(first, 12, 20) == Counted(12, 12, 0)
    assert resume_count(Counted(10, 30, 3), 10, 20) == Counted(10, 10, 0)  # end went back


def test_a_count_never_shrinks() -> None:
    with pytest.raises(ValueError, match="only grows"):
        extend(Counted(0, 10, 2), 5, 0)


def test_plain_topics_lag_by_offsets_and_groups_add_up() -> None:
    assert offset_lag(3, 10) == 7 and offset_lag(10, 3) == 0
    lag = group_lag("g", "t", [(1, None, 4, 4, True), (0, 2, 3, 1, False)])
    assert [p.partition for p in lag.partitions] == [0, 1]
    assert lag.total == 5 and not lag.exact


def test_a_total_counts_committed_records_only_never_offsets_not_read() -> None:
    # 1,000 offsets, 300 read so far holding 150 records: the total is 150, a lower bound
    partial = extend(resume_count(None, 0, 1000), 300, 150)
    assert committed_records(partial, 1000) == (150, False)
    done = extend(partial, 1000, 350)
    assert committed_records(done, 1000) == (500, True)

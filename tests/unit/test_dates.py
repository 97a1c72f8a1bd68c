"""Every date the user types: days, months, today/yesterday, periods and as-of cut-offs."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.helpers import pinned_clock
from tracker.errors import BadDate, DateInFuture, EndBeforeStart, NotADay, PeriodEndBeforeStart
from tracker.services.dates import (
    Period,
    as_of_cutoff,
    event_interval,
    make_period,
    month_bounds,
    month_period,
    one_day,
    parse_bound,
    parse_day,
    parse_day_or_month,
)

D = dt.date
TODAY = D(2019, 1, 15)


def test_parse_day_takes_any_form_of_one_day_and_refuses_other_shapes():
    with pinned_clock("2019-01-15T10:00:00"):
        assert parse_day(" 2018-12-20 ", field="as_of") == D(2018, 12, 20)
        assert parse_day("2018-9-5", field="as_of") == D(2018, 9, 5)
        assert parse_day("today", field="as_of") == TODAY
        assert parse_day("3 days ago", field="as_of") == D(2019, 1, 12)
        for text in ("20181220", "2018/12/20", "2018-12-20T00:00", ""):
            with pytest.raises(BadDate) as caught:
                parse_day(text, field="as_of")
            assert caught.value.field == "as_of"
            assert caught.value.describe() == (
                f"--as-of: '{text}' is not a date (YYYY-MM-DD, YYYY-MM, YYYY-Qn, YYYY, today, "
                "yesterday, or e.g. '3 days ago')")
        with pytest.raises(NotADay):
            parse_day("2018-12", field="as_of")


@pytest.mark.parametrize("text", ["2018-02-30", "2018-13-01", "0000-01-01", "2019-02-29"])
def test_a_day_that_does_not_exist_is_not_real(text):
    with pytest.raises(BadDate) as caught:
        parse_day(text, field="on")
    assert caught.value.describe() == f"--on: '{text}' is not a real date"


def test_month_bounds_know_leap_years():
    assert month_bounds(2018, 2) == (D(2018, 2, 1), D(2018, 2, 28))
    assert month_bounds(2020, 2) == (D(2020, 2, 1), D(2020, 2, 29))
    assert month_bounds(2018, 12) == (D(2018, 12, 1), D(2018, 12, 31))


def test_a_period_bound_is_a_day_or_a_month_from_its_first_or_last_day():
    assert parse_bound("2018-10", field="from", end=False) == D(2018, 10, 1)
    assert parse_bound("2018-11", field="to", end=True) == D(2018, 11, 30)
    assert parse_bound("2018-11-05", field="to", end=True) == D(2018, 11, 5)
    with pytest.raises(BadDate, match="is not a real month") as caught:
        parse_bound("2018-13", field="from", end=False)
    assert caught.value.describe() == "--from: '2018-13' is not a real month"
    with pytest.raises(BadDate, match=r"YYYY-MM-DD, YYYY-MM, YYYY-Qn, YYYY"):
        parse_bound("Q4", field="to", end=True)
    assert parse_bound("2018-Q4", field="from", end=False) == D(2018, 10, 1)
    assert parse_bound("2018q4", field="to", end=True) == D(2018, 12, 31)
    assert parse_bound("2018", field="to", end=True) == D(2018, 12, 31)
    assert parse_bound("2018", field="from", end=False) == D(2018, 1, 1)


def test_event_dates_take_today_yesterday_a_day_or_a_month():
    parse = lambda text: parse_day_or_month(text, field="on", today=TODAY)  # noqa: E731
    assert parse("today") == (TODAY, TODAY)
    assert parse(" Yesterday ") == (D(2019, 1, 14), D(2019, 1, 14))
    assert parse("2018-12-21") == (D(2018, 12, 21), D(2018, 12, 21))
    assert parse("2018-12") == (D(2018, 12, 1), D(2018, 12, 31))
    assert parse("2019-01") == (D(2019, 1, 1), TODAY)  # the current month ends today
    assert parse("2019-02") == (D(2019, 2, 1), D(2019, 2, 28))  # a future month is whole
    assert parse("2018-9-5") == (D(2018, 9, 5), D(2018, 9, 5))
    assert parse("2018-Q4") == (D(2018, 10, 1), D(2018, 12, 31))
    assert parse("2019-Q1") == (D(2019, 1, 1), TODAY)  # the current quarter ends today
    assert parse("2018") == (D(2018, 1, 1), D(2018, 12, 31))
    assert parse("3 days ago") == (D(2019, 1, 12), D(2019, 1, 12))
    assert parse("last friday") == (D(2019, 1, 11), D(2019, 1, 11))  # 2019-01-15 is a Tuesday
    assert parse("tomorrow") == (D(2019, 1, 16), D(2019, 1, 16))  # refused later as future
    with pytest.raises(BadDate, match="YYYY-MM-DD, YYYY-MM, YYYY-Qn, YYYY, today"):
        parse("the day the office opened")


def test_event_interval_refuses_backwards_and_future_dates():
    assert event_interval("2018-12-01", "2018-12-09", today=TODAY) == (
        D(2018, 12, 1), D(2018, 12, 9))
    assert event_interval("2018-11", "2018-12", today=TODAY) == (D(2018, 11, 1), D(2018, 12, 31))
    with pytest.raises(EndBeforeStart) as backwards:
        event_interval("2018-12-10", "2018-12-09", today=TODAY)
    assert backwards.value.describe() == "--until: 2018-12-09 is before --on 2018-12-10"
    with pytest.raises(DateInFuture) as future:
        event_interval("2019-01-16", today=TODAY)
    assert future.value.describe() == ("--on: 2019-01-16 is in the future (today is "
                                       "2019-01-15); pass --allow-future to log a planned date")
    with pytest.raises(DateInFuture) as future_end:
        event_interval("2019-01-10", "2019-02-01", today=TODAY)
    assert future_end.value.field == "until"
    assert event_interval("2019-02-01", allow_future=True, today=TODAY) == (
        D(2019, 2, 1), D(2019, 2, 1))


def test_event_interval_reads_today_from_the_clock():
    with pinned_clock("2019-01-15T23:59:00"):
        assert event_interval("today") == (TODAY, TODAY)
        with pytest.raises(DateInFuture):
            event_interval("2019-01-16")


def test_one_day_is_one_past_day():
    with pinned_clock("2019-01-15T10:00:00"):
        assert one_day("2018-12-20", field="as_of") == D(2018, 12, 20)
        assert one_day("today", field="on") == TODAY
        with pytest.raises(NotADay) as month:
            one_day("2018-12", field="on")
        assert month.value.describe() == "--on: '2018-12' is a period; give the day (YYYY-MM-DD)"
        with pytest.raises(DateInFuture) as future:
            one_day("2019-01-16", field="on")
        assert future.value.describe() == "--on: 2019-01-16 is in the future"


def test_make_period_is_inclusive_and_may_be_open():
    assert make_period(None, None) == Period() and Period().is_open
    assert make_period("2018-10", "2018-12") == Period(D(2018, 10, 1), D(2018, 12, 31))
    assert make_period("2018-10-05", None) == Period(D(2018, 10, 5), None)
    assert not make_period(None, "2018-10").is_open
    assert month_period("2018-02") == Period(D(2018, 2, 1), D(2018, 2, 28))
    with pytest.raises(PeriodEndBeforeStart) as backwards:
        make_period("2018-12", "2018-11")
    assert backwards.value.describe() == "--to: 2018-11-30 is before --from 2018-12-01"
    assert int(backwards.value.exit_code) == 2


def test_as_of_is_the_midnight_after_the_day():
    assert as_of_cutoff(None) is None
    assert as_of_cutoff("2018-12-20") == dt.datetime(2018, 12, 21)
    assert as_of_cutoff("9999-12-31") is None  # the end of time: everything so far
    assert as_of_cutoff("2018-12") == dt.datetime(2019, 1, 1)  # a period: its last day
    assert as_of_cutoff("2018-Q3") == dt.datetime(2018, 10, 1)
    with pinned_clock("2019-01-15T10:00:00"):
        assert as_of_cutoff("today") == dt.datetime(2019, 1, 16)

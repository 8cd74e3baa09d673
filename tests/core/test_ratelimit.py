"""The rate limit holds across a window boundary (a fixed window let 2x the limit pass)."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from interra.core import ratelimit


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _hits(count, at):
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.7")
    with mock.patch.object(ratelimit.time, "time", return_value=at):
        return [ratelimit.ratelimited(request, "t", limit=10, period=600) for _ in range(count)]


def test_limit_refuses_the_hit_after_the_limit():
    answers = _hits(11, at=6000 * 600 + 100)
    assert answers[:10] == [False] * 10
    assert answers[10] is True


def test_a_burst_straddling_the_window_boundary_is_still_limited():
    start = 6000 * 600
    assert _hits(10, at=start + 599) == [False] * 10  # end of one window
    # One second later, a new fixed window: the previous ten still count.
    assert _hits(1, at=start + 600) == [True]


def test_the_previous_window_weighs_less_as_time_passes():
    start = 6000 * 600
    _hits(10, at=start + 599)
    # Nearly a whole window later, the previous ten weigh almost nothing.
    assert _hits(5, at=start + 600 + 590) == [False] * 5


def test_other_addresses_are_counted_apart():
    start = 6000 * 600
    _hits(10, at=start + 10)
    other = RequestFactory().post("/", REMOTE_ADDR="198.51.100.9")
    with mock.patch.object(ratelimit.time, "time", return_value=start + 11):
        assert ratelimit.ratelimited(other, "t", limit=10, period=600) is False

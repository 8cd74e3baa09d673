from interra.agenda.seats import SeatCounts


def counts(**kw):
    base = {"capacity": 10, "held_newcomers": 4, "held_locals": 4}
    return SeatCounts(**{**base, **kw})


def test_held_seats_go_only_to_their_group_before_release():
    # 4 locals and the 2 open seats taken: only newcomers may still come.
    c = counts(locals=4, undisclosed=2)
    assert c.available_for("newcomer", released=False) == 4
    assert c.available_for("local", released=False) == 0
    assert c.available_for("undisclosed", released=False) == 0
    assert c.available_for("local", released=True) == 4


def test_a_group_overflows_into_open_seats_only():
    c = counts(newcomers=6)
    assert c.open_seats_left == 0
    assert c.available_for("newcomer", released=False) == 0  # the local seats stay held
    assert c.available_for("local", released=False) == 4
    assert c.available_for("undisclosed", released=False) == 0


def test_never_more_than_capacity():
    c = counts(newcomers=4, locals=4, undisclosed=2)
    for group in ("newcomer", "local", "undisclosed"):
        for released in (True, False):
            assert c.available_for(group, released=released) == 0
    assert c.seats_left == 0

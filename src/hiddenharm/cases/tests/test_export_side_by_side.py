"""The export reads its three tables on two connections at once outside a transaction (the
reviews and children on a thread of their own), and on the caller's connection inside one,
whose uncommitted rows another connection would not see."""

import threading

import pytest
from django import db
from django.db import transaction

from hiddenharm.cases import exchange
from hiddenharm.cases.tests.test_validated_export import _records


def _spy(monkeypatch):
    seen = {}
    real = exchange._table

    def table(name, qs, fields):
        seen[name] = (threading.current_thread().name, db.connections["default"])
        return real(name, qs, fields)

    monkeypatch.setattr(exchange, "_table", table)
    return seen


@pytest.mark.django_db(transaction=True)
def test_it_reads_reviews_and_children_on_a_connection_of_their_own(world, monkeypatch):
    _records(world.provider)
    seen = _spy(monkeypatch)
    wrapper = type(db.connections["default"])
    real_close, closed = wrapper.close, []

    def close(self):
        closed.append((threading.current_thread().name, self))
        return real_close(self)

    monkeypatch.setattr(wrapper, "close", close)
    assert exchange.side_by_side()
    got = exchange.export_tables([world.provider])
    main = threading.current_thread().name
    assert seen["episodes"][0] == main
    assert seen["reviews"][0].startswith("hh-export") and seen["children"][0] == seen["reviews"][0]
    theirs = seen["reviews"][1]
    assert theirs is not seen["episodes"][1]
    assert closed == [(seen["reviews"][0], theirs)]  # closed by its thread when done
    with transaction.atomic():  # the same rows, read one table after another
        want = exchange.export_tables([world.provider])
    for name in ("episodes", "reviews", "children"):
        assert got[name].num_rows > 0 or name == "children"
        assert got[name].equals(want[name]), name


def test_it_reads_every_table_on_the_callers_connection_inside_a_transaction(world, monkeypatch):
    seen = _spy(monkeypatch)
    with transaction.atomic():
        assert not exchange.side_by_side()
        _records(world.provider)  # not committed: only this connection sees them
        got = exchange.export_tables([world.provider])
    assert {t for t, _ in seen.values()} == {threading.current_thread().name}
    assert got["episodes"].num_rows == 3 + 1  # the world's own episode and the three
    assert got["reviews"].num_rows >= 3

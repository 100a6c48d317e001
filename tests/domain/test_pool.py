"""The pool's records: members become the scenario's participants."""

from __future__ import annotations

from peerconomy.domain.pool import Member, active_participants
from peerconomy.domain.scenario import Participant


def test_the_active_members_become_participants_in_their_order() -> None:
    members = [
        Member("ana", capacity=10.0, role="coordinator"),
        Member("ben", active=False),
        Member("cleo", exempt=True),
        Member("dev"),
    ]
    assert active_participants(members) == [
        Participant(id="ana", capacity=10.0),
        Participant(id="cleo", exempt=True),
        Participant(id="dev"),
    ]
    assert active_participants(members) == [m.as_participant() for m in members if m.active]


def test_a_pool_without_active_members_has_no_participants() -> None:
    assert active_participants([Member("ben", active=False)]) == []

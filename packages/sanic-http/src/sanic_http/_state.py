"""The connection's state machine: its states, its events and one transition table.

A connection has two sides, each always in one :class:`State`: the *receiving*
side (what the parser is reading) and the *serving* side (what the handler and
the writer are doing). They move independently, which is what lets a pipelined
request arrive while the previous one is answered, and each moves only through
:data:`TRANSITIONS`, the one place that says which :class:`Event` moves which
state where (the model is h11's ``_state.py``)::

    receiving:  FRESH/IDLE --BEGIN--> HEAD --HEADERS--> BODY --COMPLETE--> IDLE
                any of them --STOP--> STOPPED (refused, half-closed, upgraded)

    serving:    READY --START--> HANDLING --RESPOND--> RESPONDED --DONE--> READY
                                     ^                    |
                                     +-------NEXT---------+  (a pipelined request)
                READY/HANDLING/RESPONDED --FINISH--> FINISHED (an error answered)
                HANDLING --UPGRADE--> UPGRADED (101 sent: another protocol has it)

    both:       any state --LOST--> CLOSED

``FRESH`` is a new connection's receiving side before its first byte: the first
request's deadline runs from the connection, later ones from their first byte.
An event that is not in the table for the current state is a bug in the
protocol and raises ``KeyError``.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Final

__all__ = [
    "ANSWERED",
    "BEGUN",
    "BODY",
    "CLOSED",
    "COMPLETED",
    "CONTINUED",
    "ENDED",
    "FINISH",
    "FINISHED",
    "FRESH",
    "HANDLING",
    "HEAD",
    "HEADED",
    "IDLE",
    "NEXT",
    "READY",
    "RESPONDED",
    "STARTED",
    "STOP",
    "STOPPED",
    "TRANSITIONS",
    "UPGRADING",
    "Event",
    "State",
]


class State(IntEnum):
    """Where one side of a connection is."""

    # The receiving side.
    FRESH = 0  #: connected; the first request has not begun
    IDLE = 1  #: between requests
    HEAD = 2  #: a request's head is arriving
    BODY = 3  #: its body is arriving
    STOPPED = 4  #: no more requests are read (refused, half-closed, upgraded)
    # The serving side.
    READY = 5  #: no request is being handled
    HANDLING = 6  #: a handler runs and has sent nothing yet
    RESPONDED = 7  #: the response is written (or streaming)
    FINISHED = 8  #: an error was answered; the connection ends after it
    # Both sides.
    CLOSED = 9  #: the transport is gone
    # The serving side again (numbered last: the receiving side's order stays).
    UPGRADED = 10  #: ``101`` was sent; another protocol owns the transport


class Event(IntEnum):
    """What moves a side of the connection to another state."""

    BEGIN = 0  #: the first byte of a request arrived
    HEADERS = 1  #: the request's head is complete
    COMPLETE = 2  #: the request's body is complete
    STOP = 3  #: stop reading requests
    START = 4  #: a handler starts on a complete request
    RESPOND = 5  #: the response's head is written
    NEXT = 6  #: the handler of the next pipelined request starts
    DONE = 7  #: the exchange ended and the connection stays open
    FINISH = 8  #: an error answer ends the connection
    LOST = 9  #: the transport closed
    UPGRADE = 10  #: ``101 Switching Protocols`` hands the transport on


S, E = State, Event

#: The one transition table: ``TRANSITIONS[state][event]`` is the next state.
TRANSITIONS: Final[dict[State, dict[Event, State]]] = {
    S.FRESH: {E.BEGIN: S.HEAD, E.STOP: S.STOPPED, E.LOST: S.CLOSED},
    S.IDLE: {E.BEGIN: S.HEAD, E.STOP: S.STOPPED, E.LOST: S.CLOSED},
    S.HEAD: {E.HEADERS: S.BODY, E.STOP: S.STOPPED, E.LOST: S.CLOSED},
    S.BODY: {E.COMPLETE: S.IDLE, E.STOP: S.STOPPED, E.LOST: S.CLOSED},
    S.STOPPED: {E.STOP: S.STOPPED, E.LOST: S.CLOSED},
    S.READY: {E.START: S.HANDLING, E.FINISH: S.FINISHED, E.LOST: S.CLOSED},
    S.HANDLING: {
        E.RESPOND: S.RESPONDED,
        E.FINISH: S.FINISHED,
        E.UPGRADE: S.UPGRADED,
        E.LOST: S.CLOSED,
    },
    S.RESPONDED: {
        E.NEXT: S.HANDLING,
        E.DONE: S.READY,
        E.FINISH: S.FINISHED,
        E.LOST: S.CLOSED,
    },
    S.FINISHED: {E.FINISH: S.FINISHED, E.LOST: S.CLOSED},
    S.CLOSED: {E.STOP: S.CLOSED, E.FINISH: S.CLOSED, E.LOST: S.CLOSED},
    # The HTTP side lets go of an upgraded connection: nothing moves it again.
    S.UPGRADED: {E.FINISH: S.UPGRADED, E.LOST: S.CLOSED},
}

#: The table indexed by plain ints (``NEXT[state][event]``): the same entries,
#: looked up without hashing enum members on the per-request path.
NEXT: Final[tuple[dict[int, State], ...]] = tuple(
    {int(event): target for event, target in TRANSITIONS[state].items()}
    for state in State
)

# The per-request path's transitions, read from the table once: where the
# protocol applies them it knows the state they start from, so it assigns the
# result instead of looking it up for every request.
#: FRESH or IDLE, then BEGIN.
BEGUN: Final = TRANSITIONS[S.IDLE][E.BEGIN]
#: HEAD, then HEADERS.
HEADED: Final = TRANSITIONS[S.HEAD][E.HEADERS]
#: BODY, then COMPLETE.
COMPLETED: Final = TRANSITIONS[S.BODY][E.COMPLETE]
#: READY, then START.
STARTED: Final = TRANSITIONS[S.READY][E.START]
#: HANDLING, then RESPOND.
ANSWERED: Final = TRANSITIONS[S.HANDLING][E.RESPOND]
#: RESPONDED, then NEXT.
CONTINUED: Final = TRANSITIONS[S.RESPONDED][E.NEXT]
#: RESPONDED, then DONE.
ENDED: Final = TRANSITIONS[S.RESPONDED][E.DONE]
#: HANDLING, then UPGRADE (not per request: only when a handler sends ``101``).
UPGRADING: Final = TRANSITIONS[S.HANDLING][E.UPGRADE]
assert TRANSITIONS[S.FRESH][E.BEGIN] is BEGUN

# The states, and the events applied by lookup, as module names: the connection
# compares its state with ``is`` against these (a global, not an enum attribute).
FRESH, IDLE, HEAD, BODY, STOPPED = S.FRESH, S.IDLE, S.HEAD, S.BODY, S.STOPPED
READY, HANDLING, RESPONDED, FINISHED, CLOSED = (
    S.READY,
    S.HANDLING,
    S.RESPONDED,
    S.FINISHED,
    S.CLOSED,
)
STOP, FINISH = E.STOP, E.FINISH

del S, E

"""Proxy headers: RFC 7239 ``Forwarded`` elements and client addresses.

Pure functions of header text; they never raise on what a client sent. The
trust decisions (which header, which element, how many proxies) are made by
:class:`~sanic_request._address.AddressMixin` from its class attributes.
"""

from __future__ import annotations

import ipaddress
import re

from ._headers import parse_port

__all__ = ["client_address", "forwarded_for", "node_ip", "parse_forwarded"]

# One forwarded-pair (RFC 7239 section 4): token "=" ( token / quoted-string ).
# Read leniently, as proxies write them: whitespace around the pair ("a=1; b=2"),
# and unquoted names and values of any characters but whitespace, quotes, ","
# and ";" (the value may hold "=", a name may not): "for=[::1]:80" unquoted, a
# base64 secret.
_PAIR = re.compile(
    r'[ \t]*([^\s",;=]+)=(?:([^\s",;]+)|"((?:[^"\\]|\\.)*)")[ \t]*', re.DOTALL
)
_OWS = re.compile(r"[ \t]*")
# What follows a malformed spot up to the next element: quoted strings
# skipped whole, an unterminated one runs to the end.
_REST_OF_ELEMENT = re.compile(r'(?:[^,"]|"(?:[^"\\]|\\.)*(?:"|\Z))*', re.DOTALL)
_OBFUSCATED_PORT = re.compile(r"_[0-9A-Za-z._-]*")
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def parse_forwarded(value: str) -> list[dict[str, str]]:
    """The elements of a ``Forwarded`` header value (RFC 7239 section 4).

    Each element is one proxy hop, a dict of its parameters: names lower-cased,
    quoted strings unquoted (``\\x`` escapes resolved). An element that does not
    parse (a stray character, a parameter given twice, an unterminated quoted
    string) is left out; empty elements are skipped. Never raises.

    Args:
        value: The header value; several header lines joined with ``,``.

    Returns:
        The elements, left (nearest the client) to right (nearest this server).
    """
    elements: list[dict[str, str]] = []
    end = len(value)
    pos = 0
    element: dict[str, str] = {}
    valid = True
    while True:
        match = _PAIR.match(value, pos)
        if match is not None:
            name = match[1].lower()
            if name in element:
                valid = False  # RFC 7239: each parameter at most once per element
            token, quoted = match[2], match[3]
            element[name] = token if token is not None else _ESCAPE.sub(r"\1", quoted)
            pos = match.end()
        else:
            pos = _skip(_OWS, value, pos)
        char = value[pos] if pos < end else ","
        if char == ";":
            pos += 1
            continue
        if char != ",":  # malformed: drop this element, go on after it
            valid = False
            pos = _skip(_REST_OF_ELEMENT, value, pos)
            if pos < end and value[pos] == ",":
                continue  # handled next time round
            pos = end  # a quoted string never closed: nothing after it counts
        if valid and element:
            elements.append(element)
        if pos >= end:
            return elements
        element = {}
        valid = True
        pos += 1


def _skip(pattern: re.Pattern[str], value: str, pos: int) -> int:
    match = pattern.match(value, pos)
    return pos if match is None else match.end()


def node_ip(node: str) -> str:
    """The IP address of a proxy-header node, or ``""`` when it has none.

    Accepts ``192.0.2.1``, ``192.0.2.1:8080``, ``2001:db8::1``,
    ``[2001:db8::1]`` and ``[2001:db8::1]:8080`` (RFC 7239 section 6); the
    address is returned normalised, IPv6 without brackets. ``unknown``,
    obfuscated identifiers (``_hidden``) and anything malformed give ``""``.
    """
    node = node.strip()
    if node.startswith("["):
        host, bracket, port = node[1:].partition("]")
        if not bracket or (port and not _is_port(port)):
            return ""
        version = 6
    else:
        host, colon, port = node.partition(":")
        if not colon:
            version = 4
        elif ":" in port:  # a bare IPv6 address: no port
            host, version = node, 6
        elif _is_port(colon + port):
            version = 4
        else:
            return ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return ""
    return str(address) if address.version == version else ""


def _is_port(text: str) -> bool:
    # ":" then the node-port of RFC 7239 section 6: a number, or "_" obfuscated.
    port = text[1:]
    if port[:1] == "_":
        return _OBFUSCATED_PORT.fullmatch(port) is not None
    return parse_port(port) is not None


def client_address(values: list[str], proxies: int) -> str:
    """The client's IP in an ``X-Forwarded-For``-style list behind ``proxies``.

    Each proxy appends the address it received the request from, so the
    rightmost ``proxies`` entries were written by trusted proxies and the
    client is the ``proxies``-th from the right; whatever lies further left
    came from the client and is ignored.

    Args:
        values: The header's values (each may hold a comma-separated list).
        proxies: How many proxies are in front of the server (1 or more).

    Returns:
        The address, normalised; ``""`` when the list is shorter than
        ``proxies`` or that entry is not an IP address.
    """
    entries = ",".join(values).split(",")
    if proxies < 1 or len(entries) < proxies:
        return ""
    return node_ip(entries[-proxies])


def forwarded_for(values: list[str], secret: str) -> dict[str, str] | None:
    """The ``Forwarded`` element set by the proxy that knows ``secret``.

    The rightmost element with ``secret=<secret>`` (the proxy nearest this
    server that carries it); anything a client wrote to its left cannot pass
    for it without the secret.

    Args:
        values: The ``Forwarded`` header's values.
        secret: The shared secret; an empty one matches nothing.

    Returns:
        The element's parameters, or None when no element carries the secret.
    """
    if not secret:
        return None
    for element in reversed(parse_forwarded(",".join(values))):
        if element.get("secret") == secret:
            return element
    return None

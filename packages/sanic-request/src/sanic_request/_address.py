"""Where a request came from and where it was sent: peer, scheme, host, port, URL."""

from __future__ import annotations

import re
from typing import Any

from multidict import CIMultiDict

from ._headers import parse_port, split_host_port

__all__ = ["AddressMixin", "split_absolute_form", "split_target"]

_NO_PEER: tuple[str | None, int | None] = (None, None)
# RFC 3986 sections 3.1 and 3.2: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" /
# "." ), then "//" and the authority, which ends at the next "/", "?" or "#".
_ABSOLUTE_FORM = re.compile(rb"[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)")


def split_absolute_form(target: bytes) -> tuple[bytes, bytes] | None:
    """Split an absolute-form request-target (RFC 9112 section 3.2.2).

    Args:
        target: The request-target as received, e.g. ``b"http://h:8/p?q"``.

    Returns:
        The authority, without userinfo, and the rest of the target from the
        first ``/``, ``?`` or ``#`` on (``(b"h:8", b"/p?q")``); None when the
        target is not in absolute-form.
    """
    match = _ABSOLUTE_FORM.match(target)
    if match is None:
        return None
    # RFC 9110 section 4.2.4: userinfo is forbidden in http(s) URIs; it never
    # contains "@", so the host[:port] is whatever follows the last one.
    return match[1].rpartition(b"@")[2], target[match.end() :]


def _address(info: object) -> tuple[str | None, int | None]:
    # AF_INET gives (host, port), AF_INET6 (host, port, flowinfo, scope_id);
    # a UNIX socket gives a path string or "", which has no IP or port.
    if isinstance(info, tuple) and len(info) >= 2:
        return str(info[0]), int(info[1])
    return _NO_PEER


def _first(value: str) -> str:
    # X-Forwarded-* may list every proxy hop, "client, proxy1"; the first is
    # what the original client used.
    return value.partition(",")[0].strip()


class AddressMixin:
    """Network-derived properties of :class:`~sanic_request.Request`.

    The ``X-Forwarded-Proto``, ``X-Forwarded-Host`` and ``X-Forwarded-Port``
    headers are honoured when ``trust_forwarded_headers`` is true (the default,
    for apps behind a proxy); a subclass exposed directly to clients should set
    it to False, since any client can send them.
    """

    __slots__ = ("_peer",)

    trust_forwarded_headers: bool = True

    headers: CIMultiDict[str]
    transport: Any
    app: Any
    path: str
    target_authority: str | None
    _raw_query: bytes
    _peer: tuple[str | None, int | None] | None

    # -- the client ----------------------------------------------------------

    @property
    def socket(self) -> tuple[str | None, int | None]:
        """``(ip, port)`` of the client; ``(None, None)`` without a transport."""
        if self._peer is None:
            info = None
            if self.transport is not None:
                info = self.transport.get_extra_info("peername")
            self._peer = _address(info)
        return self._peer

    @property
    def ip(self) -> str | None:
        """The client's IP address, or None when unknown."""
        return self.socket[0]

    @property
    def port(self) -> int | None:
        """The client's port, or None when unknown."""
        return self.socket[1]

    # -- the server, as the client addressed it -----------------------------

    def _forwarded(self, name: str) -> str | None:
        if not self.trust_forwarded_headers:
            return None
        value = self.headers.get(name)
        if value is None:
            return None
        return _first(value) or None

    def _sockname(self) -> tuple[str | None, int | None]:
        if self.transport is None:
            return _NO_PEER
        return _address(self.transport.get_extra_info("sockname"))

    @property
    def scheme(self) -> str:
        """``http``, ``https``, ``ws`` or ``wss``, or ``X-Forwarded-Proto``.

        ``https`` when the transport carries a TLS context; ``ws``/``wss`` for a
        websocket upgrade (RFC 6455 section 4.1); a trusted
        ``X-Forwarded-Proto`` header overrides both, lower-cased.
        """
        forwarded = self._forwarded("X-Forwarded-Proto")
        if forwarded is not None:
            return forwarded.lower()
        secure = (
            self.transport is not None
            and self.transport.get_extra_info("sslcontext") is not None
        )
        if self.headers.get("Upgrade", "").lower() == "websocket":
            return "wss" if secure else "ws"
        return "https" if secure else "http"

    @property
    def host(self) -> str:
        """The ``host[:port]`` the client addressed, e.g. ``localhost:8080``.

        :attr:`target_authority` when the target was in absolute-form (the Host
        header MUST be ignored then, RFC 9112 section 3.2.2), else the Host
        header; without one (HTTP/1.0), the server socket's ``ip:port``, else
        ``""``.
        """
        host = self.target_authority
        if host is not None:
            return host
        host = self.headers.get("Host")
        if host is not None:
            return host.strip()
        ip, port = self._sockname()
        if ip is None:
            return ""
        return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"

    @property
    def server_name(self) -> str:
        """The server's host name, without port.

        Sought in this order: the app's ``config["SERVER_NAME"]``, the
        ``X-Forwarded-Host`` header, :attr:`host`. IPv6 literals keep brackets.
        """
        config = getattr(self.app, "config", None)
        name = config.get("SERVER_NAME") if config is not None else None
        if name:
            # SERVER_NAME may be written as a URL ("https://example.com:8443/").
            name = str(name).partition("://")[2] or str(name)
            return split_host_port(name.partition("/")[0])[0]
        forwarded = self._forwarded("X-Forwarded-Host")
        return split_host_port(forwarded if forwarded is not None else self.host)[0]

    @property
    def server_port(self) -> int:
        """The server's port as the client addressed it.

        Sought in this order: the ``X-Forwarded-Port`` header, the port in
        :attr:`host`, the port of the server's socket, then 443 for
        ``https``/``wss`` and 80 otherwise.
        """
        forwarded = self._forwarded("X-Forwarded-Port")
        port = parse_port(forwarded) if forwarded is not None else None
        if port is None:
            port = split_host_port(self.host)[1]
        if port is None:
            port = self._sockname()[1]
        if port is None:
            port = 443 if self.scheme in ("https", "wss") else 80
        return port

    @property
    def query_string(self) -> str:
        """The raw query string, without ``?``; ``""`` when there is none."""
        return self._raw_query.decode("utf-8", "replace")

    @property
    def url(self) -> str:
        """The full URL: scheme, host, path and query.

        For example ``http://localhost:8000/posts/1/?foo=bar``.
        """
        query = self.query_string
        url = f"{self.scheme}://{self.host}{self.path}"
        return f"{url}?{query}" if query else url


_EMPTY_URL_PATH = b"/"
_HASH = ord("#")


def split_target(url: bytes) -> tuple[bytes, bytes, str | None]:
    """Split a request-target into path, query and authority (RFC 9112 section 3.2).

    The authority is that of an absolute-form target, without userinfo; None
    for the other forms.
    """
    # origin-form, what nearly every request has: one partition does it. (An int
    # is looked up in bytes several times faster than a one-byte bytes object.)
    if url[:1] == b"/" and _HASH not in url:
        path, _, query = url.partition(b"?")
        return path, query, None
    authority = None
    if url[:1] != b"/":
        # absolute-form ("http://host/p?q"), which servers MUST accept (RFC 9112
        # section 3.2.2); "*" and authority-form are kept as the path.
        parts = split_absolute_form(url)
        if parts is not None:
            # Non-ASCII is invalid here too; replaced, as in the path.
            authority = parts[0].decode("utf-8", "replace")
            url = parts[1]
            if url[:1] != b"/":
                url = _EMPTY_URL_PATH + url
    if b"#" in url:  # a fragment is never sent, but do not let it leak into query
        url = url.partition(b"#")[0]
    path, _, query = url.partition(b"?")
    return path, query, authority

"""Where a request came from and where it was sent: peer, scheme, host, port, URL."""

from __future__ import annotations

import re
from typing import Any

from multidict import CIMultiDict

from ._forwarded import client_address, forwarded_for, node_ip
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

    What proxy headers are believed is set by class attributes (a server makes
    a subclass with an app's settings; docs/deploying.md has the whole table):

    * ``trust_forwarded_headers`` (True): ``X-Forwarded-Proto``,
      ``X-Forwarded-Host`` and ``X-Forwarded-Port`` set :attr:`scheme`,
      :attr:`server_name` and :attr:`server_port`; a server exposed directly
      to clients should set it to False, since any client can send them.
    * ``forwarded_secret`` (None): the ``Forwarded`` element (RFC 7239) with
      ``secret=`` this value gives :attr:`remote_addr` (``for=``),
      :attr:`scheme` (``proto=``), :attr:`server_name` and
      :attr:`server_port` (``host=``), ahead of every other header.
    * ``real_ip_header`` (None): a header holding the client's address alone,
      such as ``X-Real-IP``.
    * ``proxies_count`` (0) and ``forwarded_for_header``
      (``X-Forwarded-For``): how many proxies append to that header; the
      client is the entry that many places from the right.

    Every header is read on first access of a property that needs it, and
    only when its setting asks for it.
    """

    # _remote_addr and _proxy are set on first use (never in __init__).
    __slots__ = ("_peer", "_proxy", "_remote_addr")

    trust_forwarded_headers: bool = True
    proxies_count: int = 0
    real_ip_header: str | None = None
    forwarded_for_header: str = "X-Forwarded-For"
    forwarded_secret: str | None = None

    headers: CIMultiDict[str]
    transport: Any
    app: Any
    path: str
    target_authority: str | None
    _raw_query: bytes
    _peer: tuple[str | None, int | None] | None
    _proxy: dict[str, str] | None
    _remote_addr: str

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

    @property
    def remote_addr(self) -> str:
        """The client's IP address as trusted proxies report it; ``""`` if none.

        Sought in this order, each only when its setting is on: ``for=`` of
        the ``Forwarded`` element carrying ``forwarded_secret``; the
        ``real_ip_header``; the entry ``proxies_count`` places from the right
        of the ``forwarded_for_header`` list. A header present but malformed
        (not an IP address, a list shorter than ``proxies_count``) gives
        ``""``. IPv6 addresses come without brackets. :attr:`ip` stays the
        address of the peer (the proxy).
        """
        try:
            return self._remote_addr
        except AttributeError:
            pass
        address = self._find_remote_addr()
        self._remote_addr = address
        return address

    def _find_remote_addr(self) -> str:
        element = self._proxy_element()
        if element is not None and "for" in element:
            return node_ip(element["for"])
        name = self.real_ip_header
        if name:
            values = self.headers.getall(name, None)
            if values is not None:
                # Two values: the client sent one the proxy did not replace.
                return node_ip(values[0]) if len(values) == 1 else ""
        count = self.proxies_count
        name = self.forwarded_for_header
        if count > 0 and name:
            values = self.headers.getall(name, None)
            if values is not None:
                return client_address(values, count)
        return ""

    def _proxy_element(self) -> dict[str, str] | None:
        """The ``Forwarded`` element carrying ``forwarded_secret``, if any."""
        secret = self.forwarded_secret
        if not secret:
            return None
        try:
            return self._proxy
        except AttributeError:
            pass
        values = self.headers.getall("Forwarded", None)
        element = None if values is None else forwarded_for(values, secret)
        self._proxy = element
        return element

    # -- the server, as the client addressed it -----------------------------

    def _forwarded(self, name: str) -> str | None:
        if not self.trust_forwarded_headers:
            return None
        value = self.headers.get(name)
        if value is None:
            return None
        return _first(value) or None

    def _proxied_host(self) -> str | None:
        if not self.forwarded_secret:
            return None
        element = self._proxy_element()
        return None if element is None else element.get("host") or None

    def _sockname(self) -> tuple[str | None, int | None]:
        if self.transport is None:
            return _NO_PEER
        return _address(self.transport.get_extra_info("sockname"))

    @property
    def scheme(self) -> str:
        """``http``, ``https``, ``ws`` or ``wss``, or ``X-Forwarded-Proto``.

        ``https`` when the transport carries a TLS context. ``proto=`` of the
        ``Forwarded`` element carrying ``forwarded_secret``, else a trusted
        ``X-Forwarded-Proto`` header, overrides that, lower-cased. A websocket
        upgrade (RFC 6455 section 4.1) turns ``http`` into ``ws`` and ``https``
        into ``wss``, whether the proxy or the transport said which.
        """
        scheme = None
        if self.forwarded_secret:
            element = self._proxy_element()
            if element is not None and element.get("proto"):
                scheme = element["proto"].lower()
        if scheme is None:
            forwarded = self._forwarded("X-Forwarded-Proto")
            if forwarded is not None:
                scheme = forwarded.lower()
        if scheme is None:
            secure = (
                self.transport is not None
                and self.transport.get_extra_info("sslcontext") is not None
            )
            scheme = "https" if secure else "http"
        if self.headers.get("Upgrade", "").lower() == "websocket":
            return _WEBSOCKET_SCHEMES.get(scheme, scheme)
        return scheme

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

        Sought in this order: the app's ``config["SERVER_NAME"]``, ``host=``
        of the ``Forwarded`` element carrying ``forwarded_secret``, the
        ``X-Forwarded-Host`` header, :attr:`host`. IPv6 literals keep brackets.
        """
        config = getattr(self.app, "config", None)
        name = config.get("SERVER_NAME") if config is not None else None
        if name:
            # SERVER_NAME may be written as a URL ("https://example.com:8443/").
            name = str(name).partition("://")[2] or str(name)
            return split_host_port(name.partition("/")[0])[0]
        proxied = self._proxied_host()
        if proxied is not None:
            return split_host_port(proxied)[0]
        forwarded = self._forwarded("X-Forwarded-Host")
        return split_host_port(forwarded if forwarded is not None else self.host)[0]

    @property
    def server_port(self) -> int:
        """The server's port as the client addressed it.

        When the ``Forwarded`` element carrying ``forwarded_secret`` has
        ``host=``, the port in it, else 443 for ``https``/``wss`` and 80
        otherwise. Without one, sought in this order: the ``X-Forwarded-Port``
        header, the port in :attr:`host`, the port of the server's socket, then
        443 or 80 the same way.
        """
        proxied = self._proxied_host()
        if proxied is not None:
            port = split_host_port(proxied)[1]
            if port is None:
                port = 443 if self.scheme in ("https", "wss") else 80
            return port
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
#: A websocket upgrade's scheme for the scheme of the request carrying it.
_WEBSOCKET_SCHEMES = {"http": "ws", "https": "wss"}
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

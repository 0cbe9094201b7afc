from __future__ import annotations

import asyncio

import aiohttp
import pytest
from hypothesis import given
from hypothesis import strategies as st
from urllib3 import encode_multipart_formdata

from sanic_request import File, Request, RequestParseError
from sanic_request._multipart import parse_multipart

BINARY = bytes(range(256)) + b"\r\n--not-a-boundary\r\n\r\n" + b"\x00" * 10


def multipart_request(body: bytes, content_type: str) -> Request:
    request = Request(b"/files", {"Content-Type": content_type}, "1.1", "POST")
    request.body = body
    return request


def aiohttp_body(form: aiohttp.FormData) -> tuple[bytes, str]:
    payload = form()
    return asyncio.run(payload.as_bytes()), payload.content_type


def test_aiohttp_formdata_fields_and_files() -> None:
    form = aiohttp.FormData()
    form.add_field("test", "va lue é")
    form.add_field("test", "second")
    form.add_field("empty", "")
    form.add_field(
        "test",
        BINARY,
        filename='na"me é;x.bin',
        content_type="application/octet-stream",
    )
    form.add_field("doc", b"hello", filename="plain.txt", content_type="text/plain")
    body, content_type = aiohttp_body(form)
    request = multipart_request(body, content_type)

    assert request.form == {"test": ["va lue é", "second"], "empty": ""}
    assert request.form.get("test") == "va lue é"
    assert request.form.getlist("empty") == [""]
    assert list(request.files) == ["test", "doc"]
    upload = request.files.get("test")
    assert upload == File("application/octet-stream", BINARY, 'na"me é;x.bin')
    assert request.files.get("doc") == File("text/plain", b"hello", "plain.txt")


def test_urllib3_encoder_fields_and_files() -> None:
    body, content_type = encode_multipart_formdata(
        [
            ("test", "va lue é"),
            ("test", ('na"me é;x.png', BINARY, "image/png")),
            ("other", ("other.bin", b"")),
        ]
    )
    request = multipart_request(body, content_type)
    assert request.form == {"test": ["va lue é"]}
    assert request.files.get("test") == File("image/png", BINARY, 'na"me é;x.png')
    # urllib3 guesses the type from the name and falls back to octet-stream.
    assert request.files.get("other") == File(
        "application/octet-stream", b"", "other.bin"
    )


def test_backslashes_in_names() -> None:
    # urllib3 sends backslashes raw; aiohttp escapes them as quoted-pairs.
    body, content_type = encode_multipart_formdata(
        [("a\\0", "u"), ("f", ("C:\\dir\\x.txt", b"d", "text/plain"))]
    )
    request = multipart_request(body, content_type)
    assert request.form == {"a\\0": ["u"]}
    assert request.files.get("f").name == "C:\\dir\\x.txt"
    form = aiohttp.FormData()
    form.add_field("a\\0", "v")
    request = multipart_request(*aiohttp_body(form))
    assert request.form == {"a\\0": ["v"]}


def test_urllib3_with_a_quoted_boundary_and_special_characters() -> None:
    boundary = "a'()+_,-./:=? b"  # bchars of RFC 2046 that force quoting
    body, _ = encode_multipart_formdata({"k": "v"}, boundary=boundary)
    request = multipart_request(body, f'multipart/form-data; boundary="{boundary}"')
    assert request.form == {"k": ["v"]}


def raw(*parts: bytes, boundary: bytes = b"XyZ", preamble: bytes = b"") -> bytes:
    body = preamble
    for part in parts:
        body += b"--" + boundary + b"\r\n" + part + b"\r\n"
    return body + b"--" + boundary + b"--\r\n"


def test_unquoted_boundary_preamble_padding_and_epilogue() -> None:
    body = (
        b"This is the preamble.\r\n--XyZ  \t\r\n"
        b'Content-Disposition: form-data; name="a"\r\n\r\n1\r\n'
        b"--XyZ--\r\nepilogue, ignored"
    )
    assert multipart_request(body, "multipart/form-data; boundary=XyZ").form == {
        "a": ["1"]
    }


def test_filename_star_wins_over_filename() -> None:
    body = raw(
        b'Content-Disposition: form-data; name=f; filename="fallback.txt"; '
        b"filename*=UTF-8''%E2%82%AC%20rates.txt\r\n\r\ndata",
        b"Content-Disposition: form-data; name=g; filename*=bogus''x; "
        b'filename="kept.txt"\r\n\r\n',
    )
    files = multipart_request(body, "multipart/form-data; boundary=XyZ").files
    assert files.get("f") == File("text/plain", b"data", "€ rates.txt")
    assert files.get("g") == File("text/plain", b"", "kept.txt")


def test_empty_filename_is_still_a_file() -> None:
    body = raw(
        b'Content-Disposition: form-data; name="f"; filename=""\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n"
    )
    request = multipart_request(body, "multipart/form-data; boundary=XyZ")
    assert request.files.get("f") == File("application/octet-stream", b"", "")
    assert request.form == {}


def test_text_field_charsets() -> None:
    body = raw(
        b'Content-Disposition: form-data; name="latin"\r\n'
        b"Content-Type: text/plain; charset=iso-8859-1\r\n\r\n\xe9t\xe9",
        b'Content-Disposition: form-data; name="default"\r\n\r\n\xe9',
        b'Content-Disposition: form-data; name="_charset_"\r\n\r\nwindows-1252',
        b'Content-Disposition: form-data; name="raw \xc3\xa9"\r\n\r\n\x80',
    )
    form = multipart_request(body, "multipart/form-data; boundary=XyZ").form
    assert form.get("latin") == "été"
    # RFC 7578 section 4.6: _charset_ sets the charset of unlabelled fields.
    assert form.get("default") == "é"
    assert form.get("raw é") == "€"


def test_invalid_utf8_in_a_field_is_replaced() -> None:
    body = raw(b'Content-Disposition: form-data; name="a"\r\n\r\n\xff')
    assert multipart_request(body, "multipart/form-data; boundary=XyZ").form == {
        "a": ["\ufffd"]
    }


def test_folded_part_header_and_header_case() -> None:
    body = raw(
        b"content-disposition: form-data;\r\n"
        b' name="folded"\r\nCONTENT-TYPE: text/plain; charset=utf-8\r\n\r\nv'
    )
    assert multipart_request(body, "multipart/form-data; boundary=XyZ").form == {
        "folded": ["v"]
    }


def test_form_and_files_parse_once() -> None:
    body = raw(b'Content-Disposition: form-data; name="a"\r\n\r\n1')
    request = multipart_request(body, "multipart/form-data; boundary=XyZ")
    assert request.form is request.form
    assert request.files is request.files
    assert request.files == {}


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (b"--XyZ--\r\n", "multipart/form-data", "boundary"),
        (b"--XyZ--\r\n", "multipart/form-data; boundary=" + "x" * 201, "boundary"),
        (b"--XyZ--\r\n", "multipart/form-data; boundary=é", "boundary"),
        (b"no delimiter at all", "multipart/form-data; boundary=XyZ", "not found"),
        (b"--XyZ", "multipart/form-data; boundary=XyZ", "truncated"),
        (b"--XyZjunk\r\n", "multipart/form-data; boundary=XyZ", "unexpected data"),
        (
            b'--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nunterminated',
            "multipart/form-data; boundary=XyZ",
            "closing boundary",
        ),
        (
            b"--XyZ\r\nContent-Disposition: form-data; name=a\r\nno blank line",
            "multipart/form-data; boundary=XyZ",
            "unterminated",
        ),
        (
            b"--XyZ\r\nContent-Type: text/plain\r\n\r\nv\r\n--XyZ--",
            "multipart/form-data; boundary=XyZ",
            "without Content-Disposition",
        ),
        (
            b"--XyZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n--XyZ--",
            "multipart/form-data; boundary=XyZ",
            "without a name",
        ),
        (
            b"--XyZ\r\nbroken header\r\n\r\nv\r\n--XyZ--",
            "multipart/form-data; boundary=XyZ",
            "colon",
        ),
        (
            b"--XyZ\r\n\r\nv\r\n--XyZ--",
            "multipart/form-data; boundary=XyZ",
            "without Content-Disposition",
        ),
        (
            b'--XyZ\r\nContent-Disposition: form-data; name="a"\r\n'
            b"Content-Type: text/plain; charset=no-such\r\n\r\nv\r\n--XyZ--",
            "multipart/form-data; boundary=XyZ",
            "cannot decode",
        ),
        (
            b'--XyZ\r\nContent-Disposition: form-data; name="a"\r\n'
            b"--XyZ\r\nX: y\r\n\r\nv\r\n--XyZ--",
            "multipart/form-data; boundary=XyZ",
            "separator",
        ),
    ],
)
def test_malformed_bodies_are_400(body: bytes, content_type: str, reason: str) -> None:
    request = multipart_request(body, content_type)
    with pytest.raises(RequestParseError, match=reason) as info:
        _ = request.form
    assert info.value.status == 400
    with pytest.raises(RequestParseError):
        _ = request.files


def test_too_many_parts_is_413() -> None:
    part = b'Content-Disposition: form-data; name="a"\r\n\r\n1'
    body = raw(*[part] * 4)
    assert (
        len(
            parse_multipart(
                body, "XyZ", max_parts=4, max_part_size=100, max_header_size=100
            )[0]
        )
        == 4
    )
    with pytest.raises(RequestParseError) as info:
        parse_multipart(
            body, "XyZ", max_parts=3, max_part_size=100, max_header_size=100
        )
    assert info.value.status == 413


def test_oversized_part_is_413() -> None:
    body = raw(
        b'Content-Disposition: form-data; name="a"; filename=f\r\n\r\n' + b"x" * 11
    )
    assert parse_multipart(
        body, "XyZ", max_parts=5, max_part_size=11, max_header_size=100
    )[1][0][1].body
    with pytest.raises(RequestParseError) as info:
        parse_multipart(body, "XyZ", max_parts=5, max_part_size=10, max_header_size=100)
    assert info.value.status == 413


def test_oversized_header_block_is_400() -> None:
    header = b'Content-Disposition: form-data; name="a"'
    body = raw(header + b"\r\n\r\nv")
    assert parse_multipart(
        body, "XyZ", max_parts=5, max_part_size=10, max_header_size=len(header)
    )[0]
    with pytest.raises(RequestParseError, match="too large") as info:
        parse_multipart(
            body, "XyZ", max_parts=5, max_part_size=10, max_header_size=len(header) - 1
        )
    assert info.value.status == 400


def test_request_class_limits_are_overridable() -> None:
    class Strict(Request):
        max_fields = 1

    part = b'Content-Disposition: form-data; name="a"\r\n\r\n1'
    request = Strict(
        b"/", {"Content-Type": "multipart/form-data; boundary=XyZ"}, "1.1", "POST"
    )
    request.body = raw(part, part)
    with pytest.raises(RequestParseError) as info:
        _ = request.form
    assert info.value.status == 413


_VALID = raw(
    b'Content-Disposition: form-data; name="a"\r\n\r\n1',
    b'Content-Disposition: form-data; name="f"; filename="x"\r\n'
    b"Content-Type: image/png\r\n\r\n\x89PNG\r\n",
)


@given(
    st.binary(max_size=300),
    st.sampled_from(["XyZ", '"XyZ"', "", "--", '"', "x" * 80]),
)
def test_arbitrary_bodies_raise_only_parse_errors(body: bytes, boundary: str) -> None:
    request = multipart_request(body, f"multipart/form-data; boundary={boundary}")
    try:
        form, files = request.form, request.files
    except RequestParseError as err:
        assert err.status in (400, 413)
    else:
        assert all(isinstance(v, (str, list)) for v in form.values())
        assert all(isinstance(f, File) for v in files.values() for f in v)


@given(st.data())
def test_mutated_real_bodies_raise_only_parse_errors(data: st.DataObject) -> None:
    body = bytearray(_VALID)
    for _ in range(data.draw(st.integers(1, 4))):
        index = data.draw(st.integers(0, len(body) - 1))
        action = data.draw(st.sampled_from(["flip", "drop", "cut", "dup"]))
        if action == "flip":
            body[index] = data.draw(st.integers(0, 255))
        elif action == "drop":
            del body[index]
        elif action == "cut":
            del body[index:]
        else:
            body[index:index] = body[index : index + data.draw(st.integers(1, 20))]
        if not body:
            break
    request = multipart_request(bytes(body), "multipart/form-data; boundary=XyZ")
    try:
        _ = request.form
    except RequestParseError as err:
        assert err.status == 400


# urllib3 (like browsers) sends a backslash unescaped, so a name ending in one
# cannot be told from an escaped quote, and "%" is ambiguous (see _percent_decode).
# Both are left out of the round trip; test_backslashes_in_names covers the rest.
_names = st.text(
    st.characters(
        codec="utf-8", exclude_categories=["Cc", "Cs"], exclude_characters="%\\"
    ),
    min_size=1,
    max_size=10,
)


@given(
    st.lists(st.tuples(_names, st.text(max_size=20)), max_size=4),
    st.lists(st.tuples(_names, _names, st.binary(max_size=64)), max_size=3),
)
def test_round_trips_urllib3_bodies(
    fields: list[tuple[str, str]], uploads: list[tuple[str, str, bytes]]
) -> None:
    encoded: list[tuple[str, object]] = list(fields)
    encoded += [
        (name, (filename, data, "application/x-test"))
        for name, filename, data in uploads
    ]
    body, content_type = encode_multipart_formdata(encoded)
    request = multipart_request(body, content_type)
    got_fields = [
        (name, value) for name in request.form for value in request.form.getlist(name)
    ]
    # "\r" is normalised by nobody, so text survives exactly, in per-name order.
    assert sorted(got_fields) == sorted(fields)
    got_files = [
        (name, upload.name, upload.body)
        for name in request.files
        for upload in request.files.getlist(name)
    ]
    assert sorted(got_files) == sorted(uploads)


def test_parse_multipart_form_takes_a_bytes_or_str_boundary() -> None:
    from sanic_request import parse_multipart_form

    body, _content_type = encode_multipart_formdata(
        {"name": "value", "upload": ("a.txt", b"data", "text/plain")},
        boundary="xyzzy",
    )
    for boundary in (b"xyzzy", "xyzzy"):
        fields, files = parse_multipart_form(body, boundary)
        assert fields == {"name": ["value"]}
        assert files.get("upload") == File("text/plain", b"data", "a.txt")
    with pytest.raises(RequestParseError):
        parse_multipart_form(body, b"other")

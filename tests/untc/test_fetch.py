"""read_source: files and http(s) only, size cap while streaming, clear SourceUnavailable."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from treatydesk.errors import InvalidInput, SourceUnavailable, StatusImportError
from treatydesk.untc.fetch import XVIII_16_URL, read_source

FIXTURES = Path(__file__).parent.parent / "fixtures" / "untc"
XML = (FIXTURES / "xviii-16-v1.xml").read_bytes()


def client(handler: Callable[[httpx.Request], httpx.Response]) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))


def test_url_is_the_depositary_xviii_16_file() -> None:
    assert XVIII_16_URL.startswith("https://treaties.un.org/")
    assert XVIII_16_URL.endswith("/XVIII-16.en.xml")


def test_reads_a_file(tmp_path: Path) -> None:
    data, where = read_source(str(FIXTURES / "xviii-16-v1.xml"), max_bytes=10_000_000)
    assert data == XML and where.endswith("xviii-16-v1.xml") and Path(where).is_absolute()


def test_missing_file_and_oversize_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no such file"):
        read_source(str(tmp_path / "nope.xml"), max_bytes=100)
    big = tmp_path / "big.xml"
    big.write_bytes(b"<a>" + b"x" * 200 + b"</a>")
    with pytest.raises(StatusImportError, match="more than the limit of 100 bytes"):
        read_source(str(big), max_bytes=100)


@pytest.mark.parametrize("source", ["ftp://example.org/x.xml", "file:///etc/passwd",
                                    "data:text/xml,<a/>"])
def test_other_schemes_refused(source: str) -> None:
    with pytest.raises(InvalidInput, match="only local files and http"):
        read_source(source, max_bytes=1000)


def test_downloads_xml() -> None:
    http = client(lambda request: httpx.Response(
        200, content=XML, headers={"content-type": "text/xml"}))
    data, where = read_source(XVIII_16_URL, max_bytes=10_000_000, client=http)
    assert data == XML and where == XVIII_16_URL


def test_size_cap_enforced_while_streaming() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        # no content-length: only counting while reading can stop it
        return httpx.Response(200, content=iter([b"<a>", b"x" * 600, b"</a>"]))
    with pytest.raises(StatusImportError, match="more than the limit of 500 bytes"):
        read_source(XVIII_16_URL, max_bytes=500, client=client(handler))


def test_announced_size_over_cap() -> None:
    http = client(lambda request: httpx.Response(
        200, content=b"<a/>", headers={"content-length": "999999"}))
    with pytest.raises(StatusImportError, match="announces 999999 bytes"):
        read_source(XVIII_16_URL, max_bytes=500, client=http)


@pytest.mark.parametrize(
    ("response", "words"),
    [
        (httpx.Response(503, content=b"busy"), "HTTP 503"),
        (httpx.Response(404), "HTTP 404"),
        (httpx.Response(200, content=(FIXTURES / "maintenance.html").read_bytes(),
                        headers={"content-type": "text/html; charset=utf-8"}), "HTML page"),
        (httpx.Response(200, content=(FIXTURES / "maintenance.html").read_bytes(),
                        headers={"content-type": "text/xml"}), "maintenance page"),
        (httpx.Response(200, content=b"%PDF-1.4 binary", headers={"content-type": "text/xml"}),
         "not XML"),
    ],
)
def test_not_a_status_file(response: httpx.Response, words: str) -> None:
    with pytest.raises(SourceUnavailable, match=words):
        read_source(XVIII_16_URL, max_bytes=10_000_000, client=client(lambda r: response))


@pytest.mark.parametrize(
    ("exception", "words"),
    [
        (httpx.ConnectError("Name or service not known"), "cannot reach the server"),
        (httpx.ReadTimeout("timed out"), "no answer within 5 s"),
    ],
)
def test_network_failures(exception: Exception, words: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exception
    with pytest.raises(SourceUnavailable, match=words):
        read_source(XVIII_16_URL, max_bytes=1000, client=client(handler), timeout=5)


def test_a_redirect_loop_is_unavailable_not_a_crash() -> None:
    http = httpx.Client(transport=httpx.MockTransport(
        lambda request: httpx.Response(302, headers={"location": str(request.url)})),
        follow_redirects=True)
    with pytest.raises(SourceUnavailable, match="too many redirects"):
        read_source("https://example.org/loop.xml", max_bytes=10_000, client=http)


def test_a_trickling_server_is_stopped_by_the_overall_deadline() -> None:
    # each chunk comes well within the per-read timeout; the whole answer does not
    class Trickle(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            yield b"<"
            for _ in range(50):
                time.sleep(0.02)
                yield b" "

    http = client(lambda request: httpx.Response(
        200, stream=Trickle(), headers={"content-type": "text/xml"}))
    with pytest.raises(SourceUnavailable, match="no complete answer within 0.2 s"):
        read_source("https://example.org/slow.xml", max_bytes=10_000, client=http,
                    timeout=0.05)


def test_an_unreadable_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.xml"
    path.write_bytes(XML)

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)  # root reads any mode, so the error is staged
    with pytest.raises(InvalidInput, match="locked.xml: cannot read file"):
        read_source(str(path), max_bytes=10_000_000)

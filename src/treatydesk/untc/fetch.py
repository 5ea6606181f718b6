"""Reading a depositary status file from disk or from the UN Treaty Collection.

Only local files and http(s) URLs are accepted. Downloads are streamed and stopped as soon as
they pass the size cap, so a hostile or broken server cannot fill memory. Anything that is not
the XML status file (no connection, timeout, an error status, the depositary's HTML maintenance
page) becomes SourceUnavailable, and nothing downstream is changed.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from treatydesk.errors import InvalidInput, SourceUnavailable, StatusImportError

__all__ = ["XVIII_16_URL", "read_source"]

#: the depositary's status file for the UN Convention against Cybercrime (MTDSG XVIII-16)
XVIII_16_URL = (
    "https://treaties.un.org/doc/Publication/MTDSG/Volume%20II/Chapter%20XVIII/XVIII-16.en.xml"
)

#: the whole download may take this many times the per-read timeout
_TOTAL_SECONDS_PER_TIMEOUT = 4

_HTML_START = re.compile(rb"(?i)\A(?:\xef\xbb\xbf)?\s*(?:<!doctype\s+html|<html[\s>])")
_XML_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*<")


def read_source(
    path_or_url: str, *, max_bytes: int, client: httpx.Client | None = None,
    timeout: float = 30,
) -> tuple[bytes, str]:
    """The bytes of a status file and a description of where they came from (the path made
    absolute, or the URL)."""
    if not path_or_url.strip():
        raise InvalidInput("no file given: expected the path of a status file or a URL")
    scheme = urlsplit(path_or_url).scheme.lower()
    if scheme in ("http", "https"):
        data = _download(path_or_url, max_bytes=max_bytes, client=client, timeout=timeout)
        return data, path_or_url
    if scheme and len(scheme) > 1:  # a one-letter "scheme" is a Windows drive letter
        raise InvalidInput(
            f"{path_or_url!r}: only local files and http(s) URLs can be read, not {scheme}:"
        )
    return _read_file(Path(path_or_url), max_bytes=max_bytes)


def _read_file(path: Path, *, max_bytes: int) -> tuple[bytes, str]:
    if path.is_dir():
        raise InvalidInput(f"{path}: is a directory; expected a status file")
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    size = path.stat().st_size
    if size > max_bytes:
        raise StatusImportError(
            f"{path}: {size} bytes is more than the limit of {max_bytes} bytes for a status file"
        )
    try:
        with path.open("rb") as handle:
            # read one byte past the cap in case the file grew since stat()
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read file ({exc.strerror or exc})") from exc
    if len(data) > max_bytes:
        raise StatusImportError(
            f"{path}: more than the limit of {max_bytes} bytes for a status file"
        )
    return data, str(path.resolve())


def _download(
    url: str, *, max_bytes: int, client: httpx.Client | None, timeout: float
) -> bytes:
    own_client = client is None
    http = client if client is not None else httpx.Client(timeout=timeout, follow_redirects=True)
    try:
        with http.stream("GET", url, timeout=timeout) as response:
            if response.status_code != 200:
                raise SourceUnavailable(
                    f"{url}: the server answered HTTP {response.status_code}, not the status "
                    "file; nothing was changed"
                )
            content_type = response.headers.get("content-type", "").lower()
            if "html" in content_type:
                raise SourceUnavailable(
                    f"{url}: the server sent an HTML page ({content_type}), probably the "
                    "depositary's maintenance page, not the XML status file"
                )
            declared = response.headers.get("content-length")
            if declared is not None and declared.isdigit() and int(declared) > max_bytes:
                raise StatusImportError(
                    f"{url}: the server announces {declared} bytes, more than the limit of "
                    f"{max_bytes} bytes for a status file"
                )
            chunks: list[bytes] = []
            received = 0
            # the timeout bounds each read; this bounds the whole download (a server may
            # trickle one byte every few seconds forever)
            deadline = time.monotonic() + _TOTAL_SECONDS_PER_TIMEOUT * timeout
            for chunk in response.iter_bytes():
                if time.monotonic() > deadline:
                    raise SourceUnavailable(
                        f"{url}: no complete answer within "
                        f"{_TOTAL_SECONDS_PER_TIMEOUT * timeout:g} s; download stopped, "
                        "nothing was changed")
                received += len(chunk)
                if received > max_bytes:
                    raise StatusImportError(
                        f"{url}: more than the limit of {max_bytes} bytes for a status file; "
                        "download stopped"
                    )
                chunks.append(chunk)
    except httpx.TooManyRedirects as exc:
        raise SourceUnavailable(f"{url}: too many redirects ({exc}); nothing was changed") from exc
    except httpx.TimeoutException as exc:
        raise SourceUnavailable(f"{url}: no answer within {timeout:g} s ({exc})") from exc
    except httpx.TransportError as exc:
        raise SourceUnavailable(
            f"{url}: cannot reach the server (offline, DNS or connection error: {exc})"
        ) from exc
    finally:
        if own_client:
            http.close()
    data = b"".join(chunks)
    if _HTML_START.match(data) is not None:
        raise SourceUnavailable(
            f"{url}: the body is an HTML page (the depositary's maintenance page?), not the "
            "XML status file"
        )
    if _XML_START.match(data) is None:
        raise SourceUnavailable(
            f"{url}: the body is not XML (it starts with {data[:40]!r}); expected the MTDSG "
            "status file"
        )
    return data

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from treatydesk.errors import DataFileError
from treatydesk.status.bundled import bundled_snapshot, snapshot_from_signatures_csv

PACKAGED = Path(__file__).parents[2] / "src" / "treatydesk" / "status" / "data"
SHARED = Path(__file__).parents[3] / "shared" / "data"


@pytest.mark.parametrize("name", ["xviii-16-signatures.csv", "comparables.csv"])
def test_packaged_copy_is_byte_identical_to_shared_data(name: str) -> None:
    if not (SHARED / name).exists():
        # CI always has ../shared beside the clone: there a missing copy is a failure
        if os.environ.get("CI") == "true":
            pytest.fail(f"{SHARED / name} is missing in CI")
        pytest.skip(f"{SHARED / name} is not on this machine")
    assert (PACKAGED / name).read_bytes() == (SHARED / name).read_bytes()


def test_bundled_snapshot() -> None:
    snapshot = bundled_snapshot()
    assert snapshot.treaty.reference == "XVIII-16" and snapshot.partial
    assert len(snapshot.participants) == 69
    assert "69 of the 72 signatories" in (snapshot.remark or "")
    assert "2026-02-10" in (snapshot.remark or "")
    assert all(p.source for p in snapshot.participants)
    assert all(p.action is None for p in snapshot.participants)
    eu = snapshot.participant("european-union")
    assert eu is not None and eu.is_reio and eu.iso3 is None
    assert snapshot.participant("MUS").signature == date(2025, 11, 19)
    sweden = snapshot.participant("SWE")
    assert sweden.signature is None and "not confirmed" in (sweden.source or "")


HEADER = "participant,iso3,signature_date,source\n"


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ("Chile,CHL,25/10/2025,x\n", "not a date YYYY-MM-DD"),
        ("Chile,CHL,,some source\n", "does not say the day is not confirmed"),
        ("Chile,,2025-10-25,x\n", "iso3 is empty"),
        ("Chile,chl,2025-10-25,x\n", "not 3 capital letters"),
        ("Chile,CHL,2025-10-25,\n", "source is empty"),
        ("Chile,CHL,2025-10-25,x\nChile,CHL,2025-10-25,x\n", "already on line 2"),
    ],
)
def test_bad_rows(row: str, words: str) -> None:
    with pytest.raises(DataFileError) as caught:
        snapshot_from_signatures_csv(Path("sig.csv"), text=HEADER + row)
    assert words in str(caught.value) and "sig.csv:" in str(caught.value)


def test_bad_header() -> None:
    with pytest.raises(DataFileError, match="missing required column 'source'"):
        snapshot_from_signatures_csv(Path("sig.csv"), text="participant,iso3,signature_date\n")

"""`treatydesk audit verify` and `treatydesk audit export`, and the verifier in
docs/audit-chain.md run against a real export."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import update

from treatydesk.audit.chain import AuditAction
from treatydesk.cli.main import EXIT_ERROR, run
from treatydesk.settings import load_settings
from treatydesk.store import desk_repo
from treatydesk.store.db import Database, migrate
from treatydesk.store.desk_tables import AuditLogRow

DOC = Path(__file__).resolve().parents[2] / "docs" / "audit-chain.md"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("TREATYDESK_HOME", str(home))
    monkeypatch.delenv("TREATYDESK_DATABASE_URL", raising=False)
    return home


def seed(count: int) -> Database:
    settings = load_settings()
    migrate(settings)
    db = Database(settings)
    for index in range(count):
        with db.transaction() as session:
            desk_repo.append_audit(
                session, at=datetime(2025, 11, 28, tzinfo=UTC), org_id=1, actor="user:1:anna",
                action=AuditAction.EDIT, object_type="case", object_id=index,
                details={"note": "Prüfung"},
            )
    return db


def cli(argv: list[str]) -> int:
    try:
        run(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def test_verify_on_a_fresh_home(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["audit", "verify"]) == 0
    assert capsys.readouterr().out.strip() == f"chain verified: 0 entries, head {'0' * 64}"


def test_verify_ok_and_json(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed(3).dispose()
    assert cli(["audit", "verify"]) == 0
    assert re.fullmatch(r"chain verified: 3 entries, head [0-9a-f]{64}\n",
                        capsys.readouterr().out)
    assert cli(["audit", "verify", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] is True and result["count"] == 3


def test_verify_names_the_first_bad_seq(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = seed(4)
    with db.transaction() as session:
        session.execute(update(AuditLogRow).where(AuditLogRow.seq == 2).values(actor="mallory"))
    db.dispose()
    assert cli(["audit", "verify"]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "audit chain broken at seq 2 (hash_mismatch)" in err
    assert cli(["audit", "verify", "--json"]) == EXIT_ERROR
    assert json.loads(capsys.readouterr().out)["first_bad_seq"] == 2


def test_export_writes_the_chain_and_records_itself(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(2).dispose()
    target = tmp_path / "audit.jsonl"
    assert cli(["audit", "export", str(target), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and json.loads(lines[-1])["count"] == 2 == summary["count"]
    assert "Prüfung" in lines[0]  # UTF-8, not \u escapes
    assert cli(["audit", "verify", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["count"] == 3  # the export event
    second = tmp_path / "again.jsonl"
    assert cli(["audit", "export", str(second)]) == 0
    assert json.loads(second.read_text().splitlines()[2])["action"] == "export"


def test_export_bad_path_is_an_error(home: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["audit", "export", str(tmp_path)]) == EXIT_ERROR
    assert "is a directory" in capsys.readouterr().err
    assert cli(["audit", "export", str(tmp_path / "missing" / "x.jsonl")]) == EXIT_ERROR
    assert "does not exist" in capsys.readouterr().err


def doc_verifier(tmp_path: Path) -> Path:
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    assert len(blocks) == 1, "docs/audit-chain.md must hold exactly one python block"
    script = tmp_path / "verify_export.py"
    script.write_text(blocks[0], encoding="utf-8")
    return script


def test_the_documented_verifier_accepts_an_export_and_catches_tampering(
    home: Path, tmp_path: Path
) -> None:
    seed(5).dispose()
    export = tmp_path / "audit.jsonl"
    assert cli(["audit", "export", str(export)]) == 0
    script = doc_verifier(tmp_path)
    ok = subprocess.run([sys.executable, str(script), str(export)], capture_output=True,
                        text=True, check=False)
    assert ok.returncode == 0 and ok.stdout.startswith("ok: 5 entries, head ")
    lines = export.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[2])
    record["details"] = {"note": "changed"}
    lines[2] = json.dumps(record, ensure_ascii=False)
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    bad = subprocess.run([sys.executable, str(script), str(export)], capture_output=True,
                         text=True, check=False)
    assert bad.returncode == 1 and "broken at seq 3" in bad.stdout
    truncated = "\n".join(export.read_text().splitlines()[:-1])
    export.write_text(truncated, encoding="utf-8")
    cut = subprocess.run([sys.executable, str(script), str(export)], capture_output=True,
                         text=True, check=False)
    assert cut.returncode == 1 and "head record is missing" in cut.stdout

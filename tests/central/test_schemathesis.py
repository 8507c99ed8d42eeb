"""Property-based API testing: schemathesis fuzzes the live sandbox from its own OpenAPI
document and finds no server error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_no_server_errors_under_fuzzing(sandbox, enrol, tmp_path: Path) -> None:
    """Every operation, fed generated valid and invalid input, never answers 5xx."""
    client = enrol("agent")
    st = Path(sys.executable).with_name("st")
    # One worker: with two, hypothesis parses lambda sources (ast.parse) on two threads at
    # once, and CPython 3.11.7's AST recursion counter is not thread-safe: "SystemError: AST
    # constructor recursion depth mismatch" inside schemathesis's own generator, not the
    # sandbox (one clean-clone CI run and one local run out of eight).
    proc = subprocess.run(
        [str(st), "run", f"{sandbox.url}/v1/openapi.json",
         "--checks", "not_a_server_error", "--max-examples", "15", "--seed", "11",
         "--workers", "1", "--request-timeout", "20", "--generation-deterministic",
         "-H", f"Authorization: {client.headers['authorization']}",
         "--report-dir", str(tmp_path), "--no-color"],
        capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]

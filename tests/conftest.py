import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KNOWN = ROOT / "tests" / "data" / "known.json"


@pytest.fixture(scope="session")
def known() -> dict:
    """Reference numbers (a copy of ../shared/reference/known.json, so CI needs no shared/)."""
    return json.loads(KNOWN.read_text())

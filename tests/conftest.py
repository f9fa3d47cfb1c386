import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KNOWN = ROOT / "tests" / "data" / "known.json"


@pytest.fixture(scope="session")
def known() -> dict:
    """Reference numbers (published counts, each with its source)."""
    return json.loads(KNOWN.read_text())

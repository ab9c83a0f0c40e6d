"""Every IFEval test runs with our Punkt model first on NLTK's data path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import langdetect
import nltk
import pytest

from ._punkt import write_punkt_model


@pytest.fixture(scope="session", autouse=True)
def nltk_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = write_punkt_model(tmp_path_factory.mktemp("nltk_data"))
    nltk.data.path.insert(0, str(root))
    # The reference detects languages with langdetect's global factory, unseeded: seed it as
    # ours is seeded, or the two would disagree by chance on borderline text.
    langdetect.DetectorFactory.seed = 0
    yield root
    nltk.data.path.remove(str(root))

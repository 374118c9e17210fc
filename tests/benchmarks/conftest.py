"""The benchmarks' own tests: benchmarks/ is a folder of scripts, put on the path here."""

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

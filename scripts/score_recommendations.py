"""Scores of recommendations (not a test): ``.venv/bin/python scripts/score_recommendations.py``.

Loads the demo content into a throwaway database, asks every judged client
situation of tests/guidance/judged_situations.json through ``recommendations``
and through plain ``services`` filtering with the same facts, and prints
nDCG@10 of both, per situation and on average. ``--json FILE`` also writes
each situation's results. scripts/recommendation_scores.py says how it works.

Plain filtering runs on the database engine (``services`` means the same on
Elasticsearch, which the delivery tests hold): the script unsets
ELASTICSEARCH_URL for itself, so no index is built or touched.
"""

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.test_settings")
os.environ.pop("ELASTICSEARCH_URL", None)

import django  # noqa: E402

django.setup()

from scripts import recommendation_scores  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write every situation's results here")
    args = parser.parse_args()
    results = recommendation_scores.measure_here()
    print(recommendation_scores.report(results))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()

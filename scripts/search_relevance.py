"""Search relevance scores (not a test): ``.venv/bin/python scripts/search_relevance.py``.

Prints nDCG@10, MRR and top-3 hits of the judged queries in
tests/search/relevance for the database backend and, when ELASTICSEARCH_URL
is set, for Elasticsearch, on throwaway databases and indices. ``--help``
lists the options; scripts/relevance.py says how it works.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.relevance import main  # noqa: E402

if __name__ == "__main__":
    main()

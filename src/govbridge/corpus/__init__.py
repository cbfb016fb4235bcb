"""Training-corpus scanning against the TC260-003 / GB/T 45654 corpus rules.

:func:`scan` reads JSONL (plain, gzip or zstd), Parquet and plain-text shards, matches every
document against a keyword library with :class:`govbridge.matcher.Matcher`, and writes to an
output folder:

- ``hits.parquet``: one row per hit (doc_id, file, line, source, risk, keyword, offset, end);
- ``sources.json``: per source, its documents, flagged documents and share, and whether the
  source rule (share greater than the standard's maximum, 5%) excludes it, with the rule's
  citation;
- ``review_sample.jsonl``: a seeded simple random sample of the kept sources' documents for
  manual review, with a blank ``label`` to fill in; :func:`review_import` judges it;
- ``errors.jsonl`` and ``summary.json`` (schema ``govbridge/corpus-summary/v1``).

Engines: ``local`` (a process pool) and ``ray`` (Ray Data). Every shard is checkpointed; a
killed scan resumes with ``ScanOptions(resume=True)``. See docs/corpus.md.
"""

from govbridge.corpus._engines import ENGINES
from govbridge.corpus._inputs import FORMATS, Shard, expand_inputs
from govbridge.corpus._review import REVIEW_SCHEMA, ReviewError, review_import
from govbridge.corpus._rules import PROVISIONS, CorpusRules, load_rules, wilson
from govbridge.corpus._run import SOURCES_SCHEMA, SUMMARY_SCHEMA, ScanOptions, ScanReport, scan

__all__ = [
    "ENGINES",
    "FORMATS",
    "PROVISIONS",
    "REVIEW_SCHEMA",
    "SOURCES_SCHEMA",
    "SUMMARY_SCHEMA",
    "CorpusRules",
    "ReviewError",
    "ScanOptions",
    "ScanReport",
    "Shard",
    "expand_inputs",
    "load_rules",
    "review_import",
    "scan",
    "wilson",
]

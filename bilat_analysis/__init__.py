"""bilat_analysis: study news on bilateral diplomatic relations with pandas.

The pipeline, one module per stage: :mod:`corpus` (load, clean) ->
:mod:`lexicons` (data files) -> :mod:`tagging` -> :mod:`topics` ->
:mod:`cooccurrence` -> :mod:`plotting` -> :mod:`report` -> :mod:`cli`.
"""

from __future__ import annotations

from bilat_analysis.corpus import (
    CorpusWarning,
    LoadedCorpus,
    iter_corpus,
    load_corpus,
    read_corpus,
)

__all__ = ["CorpusWarning", "LoadedCorpus", "iter_corpus", "load_corpus", "read_corpus"]
__version__ = "0.1.0"

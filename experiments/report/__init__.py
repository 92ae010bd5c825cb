"""The pieces of the comparison report (``python -m experiments.compare``): statistics on the sweep's tidy
tables (:mod:`.analysis`), the plain-language text (:mod:`.narrative`), the figures (:mod:`.plots`) and the
self-contained HTML page (:mod:`.html`)."""

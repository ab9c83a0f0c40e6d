"""Statistics with no idea where their numbers come from: intervals, the bootstrap, paired
tests, multiple-comparison corrections, power, pass@k, agreement between raters.

Everything here takes plain numbers (counts, rates, per-case values) and
imports nothing of the store, the database or the rest of `benchlab.analysis`
(tests/test_layers.py checks it), so each formula can be tested alone against
a reference implementation or a simulation; the rest of `benchlab.analysis`
reads the runs and calls these.
"""

"""Reports and gate results as people and CI tools read them: markdown, HTML, SVG, JUnit.

Renderers take the documents `benchlab.analysis` builds (plain dicts and
dataclasses) and import nothing of the store (tests/test_layers.py checks
it): what a report says is decided once, when it is built, and every format
shows the same numbers.
"""

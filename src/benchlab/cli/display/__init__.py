"""What the command line prints: rich tables, the progress bar, stored artifacts.

Only `benchlab.cli` imports these; the library and the server return data
(summaries, events) and leave the display to their callers.
"""

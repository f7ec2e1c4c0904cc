"""The project's runbooks: one module per runbook, each with ``NAME`` and ``build() -> Document``.

Scripts run by aws:executeScript live beside their runbook as real Python files, embedded at build time.
"""

"""``runbook import``: any Automation document -> a runbooks/ module of typed Python that builds back to it.

``generate`` writes the module's source (``pyexpr`` prints it as ``ruff format`` would), ``files`` proves it
builds back to the same data and writes it with its scripts.
"""

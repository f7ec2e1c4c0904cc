"""The one catalogue of SSM facts: plain tables the model, the linter, the simulator and the publisher all read.

Below the model: these modules import only the standard library (and ``toolkit.errors``). One module per subject:
``types`` (SSM's value kinds), ``names`` (document, version, step, parameter names), ``limits`` (sizes, counts,
timeouts), ``durations`` (ISO 8601 durations), ``runtimes`` (aws:executeScript runtimes), ``actions`` (action names,
built-in outputs, branch operators), ``references`` (the ``{{ ... }}`` syntax and the system variables).
Each fact cites the AWS page it comes from; a fact written anywhere else in the toolkit fails
``tests/ssm/test_catalogue.py``.
"""

"""IAM's policy language: policy documents compiled into statements, every condition operator, policy variables;
evaluation of one policy for one request.

- ``context.py``: the request context (condition keys and their values, ``UNKNOWN``), built by
  ``request_context``.
- ``variables.py``: policy variables (``${aws:username}``, defaults, escapes) resolved from a request.
- ``conditions.py``: every condition operator AWS documents, with ``IfExists`` and the set qualifiers.
- ``policy.py``: ``Policy``, one document compiled once into statements, decided for a principal, an action, a
  resource and a request; ``CannotEvaluate`` when the answer depends on something it cannot decide.

Pure Python, standard library only. The facts and their sources: ``shared/spec/iam.md`` sections 1 to 3 and
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html.
"""

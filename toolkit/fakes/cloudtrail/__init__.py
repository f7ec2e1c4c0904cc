"""Fake AWS CloudTrail: trails per (account, home region), their shadows, logging, selectors and tags.

``trail`` holds the trail record and its response shapes, ``lookup`` the name and ARN rules, ``selectors`` the
selector validation, ``delivery`` the bucket, key, topic, log group and organization checks, ``operations`` the
operations themselves (``OPERATIONS``, the table the backend dispatches on, imported on the first CloudTrail call).
"""

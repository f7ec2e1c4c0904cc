"""The fake services' operations: one module (or package, as ``iam``) per service, each with an ``OPERATIONS`` table
(``toolkit.fakes.backend.SERVICES`` names them; CloudTrail's are in ``toolkit.fakes.cloudtrail.operations``).

They sit above the backend; the state they act on (``toolkit.fakes.iam``, ``kms``, ``s3``...) sits below it.
"""

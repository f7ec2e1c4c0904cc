"""The fake AWS world the simulator runs in: state per account and region, behaviour per service, errors shaped
like AWS's. Fakes never import the simulator.

``world`` (the World and its world file), ``default`` (the default world), ``backend`` (dispatch of calls to the
service modules ``cloudtrail``, ``s3``, ``kms``, ``sts``, ``organizations``, ``sns``, ``logs``, ``iam``, ``ssm``,
``config``; Systems Manager's state is in ``ssm/``, AWS Config's in ``config/state.py``), ``policy``
(resource-policy evaluation), ``record`` (the no-change-in-place rule that makes copies cheap), ``params`` and
``worldfile`` (reading requests and world files), ``errors`` (AwsError, NotModeled).
"""

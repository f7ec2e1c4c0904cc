"""Deploying the pattern: the CloudFormation template (template.py), its cross-checks (checks.py) and
least-privilege IAM policies generated from what runbooks call (iam.py)."""

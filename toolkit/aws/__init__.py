"""AWS's own facts, read by every wing: service models (botocore's data) and operation -> IAM action names."""

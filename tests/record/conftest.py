from tests.record.test_bundle_helpers import witnessed_record  # noqa: F401  (what `record` is built from)

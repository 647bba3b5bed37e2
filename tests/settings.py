"""The settings the tests run with: the real ones, with the data folder in a temporary place so
that tests never write into ./ceasefire-data."""

import atexit
import os
import shutil
import tempfile

os.environ["CEASEFIRE_DATA_DIR"] = tempfile.mkdtemp(prefix="ceasefire-test-")
atexit.register(shutil.rmtree, os.environ["CEASEFIRE_DATA_DIR"], True)
os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")

from ceasefire.settings import *  # noqa: E402,F403

# Argon2 is the production hasher (test_accounts.py checks it); hashing it for every fixture
# account would make the suite ten times slower.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# No API rate limits: the suite makes hundreds of calls a minute from one address and a few tokens.
# tests/api/test_rate_limits.py sets its own.
NINJA_DEFAULT_THROTTLE_RATES = {"anon": None, "auth": None}

"""Settings for the test suite: production settings (DEBUG off) with test defaults.

pytest uses this module (pyproject.toml), and so do `make checks` and `make suite`, so that a
plain `pytest` needs no environment. A variable already set wins: DATABASE_URL runs the suite
on PostgreSQL (`make test`, `.ci/postgres.sh`), DJANGO_VAR_DIR gives a run a folder of its own.
"""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

for name, value in {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "test-only-key",
    "DJANGO_ALLOWED_HOSTS": "*",
    "DJANGO_SECURE_SSL_REDIRECT": "0",  # the test client speaks plain HTTP
    "DJANGO_VAR_DIR": str(REPO / "var" / "test"),
    "EMAIL_URL": "locmem://",
    "CACHE_URL": "locmem://",
    "TASKS_BACKEND": "immediate",
    "DONATIONS_ALLOW_DEV_PROVIDER": "1",  # the suite pays through the dev provider
}.items():
    os.environ.setdefault(name, value)

# The one exception to "no settings chain": site_config/settings.py reads everything from the
# environment set above, so the tests need nothing of their own but these defaults.
from site_config.settings import *  # noqa: E402, F403
from site_config.settings import STATIC_ROOT  # noqa: E402

# WhiteNoise warns at every request when the static folder is missing.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

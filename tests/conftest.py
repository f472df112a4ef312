"""Settings every test shares."""

from __future__ import annotations

import os

from hypothesis import settings

# In CI, property-based tests replay the same examples on every run, so a landing is never
# decided by which random examples came up; locally they explore new ones each run. A failure
# found locally is pinned as a regression test of its own.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

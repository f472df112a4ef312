"""Tests of the generated vendor clients against a spec-checking loopback server."""

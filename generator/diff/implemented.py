"""The rule ids the comparator can emit (the oracle test compares only cases using these)."""

from __future__ import annotations

from generator.diff.rules import RULES

_CONSTRAINTS = (
    "max-set", "max-decreased", "max-increased", "min-set", "min-increased", "min-decreased", "exclusive-max-set",
    "exclusive-max-decreased", "exclusive-max-increased", "exclusive-min-set", "exclusive-min-increased",
    "exclusive-min-decreased", "max-length-set", "max-length-decreased", "max-length-increased", "max-length-unset",
    "min-length-increased", "min-length-decreased", "max-items-decreased", "max-items-increased", "min-items-set",
    "min-items-increased", "min-items-decreased", "min-items-unset", "max-unset", "pattern-added",
    "pattern-removed", "pattern-changed", "pattern-generalized", "became-nullable", "became-not-nullable",
    "type-changed", "type-generalized", "type-specialized", "became-enum", "enum-value-added", "enum-value-removed",
    "default-value-added", "default-value-removed", "default-value-changed", "const-changed", "deprecated",
    "deprecated-sunset-invalid", "deprecated-sunset-missing", "deprecated-with-sunset", "reactivated",
    "one-of-added", "one-of-removed", "any-of-added", "any-of-removed", "all-of-added", "all-of-removed",
    "all-of-added-annotation-only", "all-of-removed-annotation-only", "wrapped-in-one-of",
)  # fmt: skip
_PREFIXES = (
    "request-body", "request-property", "response-body", "response-property", "request-parameter",
    "request-parameter-property",
)  # fmt: skip
_SINGLE = (
    "api-global-security-added", "api-global-security-removed", "api-security-component-added",
    "api-security-component-removed", "api-security-component-type-changed", "api-server-added",
    "api-server-removed", "api-server-variable-enum-value-removed", "endpoint-added",
    "api-path-removed-without-deprecation", "api-path-removed-before-sunset", "api-path-removed-with-deprecation",
    "api-removed-without-deprecation", "api-removed-before-sunset", "api-removed-with-deprecation",
    "api-path-sunset-parse", "api-invalid-stability-level", "api-stability-decreased", "api-stability-increased",
    "request-parameter-sunset-parse", "request-parameter-removed-before-sunset", "request-parameter-sunset-deleted",
    "endpoint-deprecated", "api-deprecated-sunset-missing", "api-sunset-date-too-small",
    "request-parameter-deprecated-sunset-missing", "endpoint-deprecated-with-sunset", "endpoint-reactivated",
    "api-deprecated-sunset-parse", "sunset-deleted", "api-operation-id-removed", "api-client-method-renamed",
    "api-client-method-moved", "api-tag-added", "api-tag-removed", "api-security-added", "api-security-removed",
    "new-request-path-parameter", "new-required-request-parameter", "new-optional-request-parameter",
    "request-parameter-removed", "request-parameter-location-changed", "request-parameter-removed-with-deprecation",
    "request-parameter-became-required", "request-parameter-became-optional", "request-parameter-deprecated",
    "request-parameter-reactivated", "request-header-property-became-enum",
    "request-header-property-became-required", "new-required-request-header-property",
    "request-body-added-required", "request-body-added-optional", "request-body-removed",
    "request-body-became-required", "request-body-became-optional", "request-body-media-type-added",
    "request-body-media-type-removed", "response-success-status-added", "response-non-success-status-added",
    "response-success-status-removed", "response-non-success-status-removed", "response-media-type-added",
    "response-media-type-name-changed", "response-media-type-name-specialized",
    "response-media-type-name-generalized", "response-media-type-removed", "response-header-added",
    "optional-response-header-removed", "response-mediatype-enum-value-removed", "new-required-request-property",
    "new-required-request-property-with-default", "new-optional-request-property", "request-property-removed",
    "request-property-became-required", "request-property-became-required-with-default",
    "request-property-became-optional", "response-required-property-added", "response-optional-property-added",
    "response-required-property-removed", "response-optional-property-removed", "response-property-became-optional",
    "response-property-became-required",
)  # fmt: skip

IMPLEMENTED: frozenset[str] = frozenset(
    {f"{p}-{s}" for p in _PREFIXES for s in _CONSTRAINTS if f"{p}-{s}" in RULES} | {r for r in _SINGLE if r in RULES}
)

"""Generate typed Python clients from vendor OpenAPI documents."""

__version__ = "0.1.0"

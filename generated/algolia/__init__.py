"""Generated models for Agent Studio API (algolia). Do not edit."""

from . import models

__all__ = ["models"]

"""Generated models for ClarityQ API (clarityq). Do not edit."""

from . import models

__all__ = ["models"]

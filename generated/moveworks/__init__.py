"""Generated models for conversations-api (moveworks). Do not edit."""

from . import models

__all__ = ["models"]

"""Generated models for Send Conversation Feedback (elevenlabs). Do not edit."""

from . import models

__all__ = ["models"]

"""Clients generated from specs/ by vendor-feedback-codegen. Do not edit."""

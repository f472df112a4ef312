"""The diff's checks, one module per rule family (as oasdiff's ``checker/``).

Each module declares the rule ids it may emit in ``RULE_IDS``; ``generator.diff.implemented``
is their union, and ``DiffContext.emit`` refuses any other id. Modules here import only
``generator.ir`` and ``generator.diff.{rules,model}``, and each other downwards:
memo ← context ← constraints ← schemas ← parameters, request_body, responses; lifecycle and
security use only context.
"""

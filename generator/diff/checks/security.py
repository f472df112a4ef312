"""Security: global requirements, security scheme components, and per-operation requirements."""

from __future__ import annotations

from generator import ir
from generator.diff.checks.context import DiffContext, client_call

RULE_IDS = frozenset({
    "api-global-security-added", "api-global-security-removed", "api-security-component-added",
    "api-security-component-removed", "api-security-component-type-changed", "api-security-added",
    "api-security-removed",
})  # fmt: skip


def api_security(d: DiffContext, old: ir.Api, new: ir.Api) -> None:
    """Global security requirements and security scheme components."""
    old_sec, new_sec = set(old.security), set(new.security)
    for req in sorted(new_sec - old_sec):
        d.emit(
            "api-global-security-added",
            None,
            "security",
            f"global security requirement {' + '.join(req) or '(none)'} added",
            "the client sends the credentials this requirement names on every call",
        )
    for req in sorted(old_sec - new_sec):
        d.emit(
            "api-global-security-removed",
            None,
            "security",
            f"global security requirement {' + '.join(req) or '(none)'} removed",
            "the client stops requiring those credentials",
        )
    old_schemes = {s.name: s for s in old.security_schemes}
    new_schemes = {s.name: s for s in new.security_schemes}
    for name in sorted(new_schemes.keys() - old_schemes.keys()):
        d.emit(
            "api-security-component-added",
            None,
            f"securitySchemes/{name}",
            f"security scheme {name!r} ({new_schemes[name].type}) added",
            "the client constructor gains a credential argument for it",
        )
    for name in sorted(old_schemes.keys() - new_schemes.keys()):
        d.emit(
            "api-security-component-removed",
            None,
            f"securitySchemes/{name}",
            f"security scheme {name!r} ({old_schemes[name].type}) removed",
            "the client constructor loses the credential argument bound to it",
        )
    for name in sorted(old_schemes.keys() & new_schemes.keys()):
        o, n = old_schemes[name], new_schemes[name]
        if (o.type, o.location, o.parameter_name, o.scheme) != (n.type, n.location, n.parameter_name, n.scheme):
            d.emit(
                "api-security-component-type-changed",
                None,
                f"securitySchemes/{name}",
                f"security scheme {name!r} changed from {o.type} {o.location or o.scheme or ''} "
                f"{o.parameter_name or ''} to {n.type} {n.location or n.scheme or ''} {n.parameter_name or ''}",
                "the client sends the credential differently; regenerate before the change ships",
            )


def operation_security(d: DiffContext, o: ir.Operation, n: ir.Operation) -> None:
    """Security requirements of one operation."""
    call = client_call(n)
    o_sec, n_sec = set(o.security or ()), set(n.security or ())
    if o.security is not None or n.security is not None:
        for req in sorted(n_sec - o_sec):
            d.emit(
                "api-security-added",
                n,
                "security",
                f"security requirement {' + '.join(req) or '(none)'} added",
                f"{call} sends the credentials it names",
            )
        for req in sorted(o_sec - n_sec):
            d.emit(
                "api-security-removed",
                n,
                "security",
                f"security requirement {' + '.join(req) or '(none)'} removed",
                f"{call} stops sending those credentials",
            )

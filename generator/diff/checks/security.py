"""Security: global requirements, security scheme components, and per-operation requirements."""

from __future__ import annotations

from typing import Any

from generator import ir
from generator.diff.checks.context import NEW, OLD, DiffContext, client_call

RULE_IDS = frozenset({
    "api-global-security-added", "api-global-security-removed", "api-security-component-added",
    "api-security-component-removed", "api-security-component-type-changed", "api-security-added",
    "api-security-removed", "api-security-scope-added", "api-security-scope-removed",
    "api-global-security-scope-added", "api-global-security-scope-removed",
    "api-security-component-oauth-scope-added", "api-security-component-oauth-scope-removed",
    "api-security-component-oauth-scope-changed", "api-security-component-oauth-token-url-changed",
    "api-security-component-oauth-url-changed",
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
            "the server no longer asks for those credentials; the client is unchanged and sends any it is given",
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
                f"{call}: the server no longer asks for those credentials; the client still sends any it is given",
            )


def _requirements(value: Any) -> dict[frozenset[str], dict[str, frozenset[str]]]:
    """Security requirements keyed by their scheme names, each with its scopes per scheme."""
    result: dict[frozenset[str], dict[str, frozenset[str]]] = {}
    if not isinstance(value, list):
        return result
    for requirement in value:
        if isinstance(requirement, dict):
            result[frozenset(map(str, requirement))] = {
                str(k): frozenset(map(str, v)) if isinstance(v, list) else frozenset() for k, v in requirement.items()
            }
    return result


def _scopes(
    d: DiffContext, old: Any, new: Any, op: ir.Operation | None, rule_prefix: str, where: str, impact: str
) -> None:
    """Scopes added to or removed from a requirement present on both sides."""
    old_reqs, new_reqs = _requirements(old), _requirements(new)
    for key in sorted(old_reqs.keys() & new_reqs.keys(), key=sorted):
        for scheme in sorted(key):
            o, n = old_reqs[key].get(scheme, frozenset()), new_reqs[key].get(scheme, frozenset())
            for scope in sorted(n - o):
                d.emit(f"{rule_prefix}-added", op, where, f"scope {scope!r} of {scheme!r} added", impact)
            for scope in sorted(o - n):
                d.emit(f"{rule_prefix}-removed", op, where, f"scope {scope!r} of {scheme!r} removed", impact)


def api_security_scopes(d: DiffContext) -> None:
    """Scopes of the global requirements, and the OAuth flows of the security schemes."""
    old, new = d.documents
    _scopes(
        d,
        old.get("security"),
        new.get("security"),
        None,
        "api-global-security-scope",
        "security",
        "the token the client sends must carry the scopes listed; the client itself does not change",
    )
    old_schemes, new_schemes = _security_schemes(old), _security_schemes(new)
    for name in sorted(old_schemes.keys() & new_schemes.keys()):
        old_flows, new_flows = old_schemes[name].get("flows"), new_schemes[name].get("flows")
        if not isinstance(old_flows, dict) or not isinstance(new_flows, dict):
            continue
        for flow in sorted(old_flows.keys() & new_flows.keys()):
            o, n = old_flows[flow], new_flows[flow]
            if not isinstance(o, dict) or not isinstance(n, dict):
                continue
            where = f"securitySchemes/{name}/flows/{flow}"
            impact = "tokens for this scheme are obtained differently; the client sends whatever token it is given"
            if o.get("tokenUrl") != n.get("tokenUrl"):
                d.emit(
                    "api-security-component-oauth-token-url-changed",
                    None,
                    where,
                    f"tokenUrl changed from {o.get('tokenUrl')!r} to {n.get('tokenUrl')!r}",
                    impact,
                )
            if o.get("authorizationUrl") != n.get("authorizationUrl"):
                d.emit(
                    "api-security-component-oauth-url-changed",
                    None,
                    where,
                    f"authorizationUrl changed from {o.get('authorizationUrl')!r} to {n.get('authorizationUrl')!r}",
                    impact,
                )
            old_scopes: dict[str, Any] = o["scopes"] if isinstance(o.get("scopes"), dict) else {}
            new_scopes: dict[str, Any] = n["scopes"] if isinstance(n.get("scopes"), dict) else {}
            for scope in sorted(new_scopes.keys() - old_scopes.keys()):
                d.emit("api-security-component-oauth-scope-added", None, where, f"scope {scope!r} added", impact)
            for scope in sorted(old_scopes.keys() - new_scopes.keys()):
                d.emit("api-security-component-oauth-scope-removed", None, where, f"scope {scope!r} removed", impact)
            for scope in sorted(old_scopes.keys() & new_scopes.keys()):
                if old_scopes[scope] != new_scopes[scope]:
                    d.emit(
                        "api-security-component-oauth-scope-changed",
                        None,
                        where,
                        f"scope {scope!r} description changed",
                        "none",
                    )


def operation_security_scopes(d: DiffContext, o: ir.Operation, n: ir.Operation) -> None:
    """Scopes of an operation's own requirements."""
    old_op, new_op = d.raw_operation(o, OLD) or {}, d.raw_operation(n, NEW) or {}
    _scopes(
        d,
        old_op.get("security"),
        new_op.get("security"),
        n,
        "api-security-scope",
        "security",
        f"{client_call(n)}: the token sent must carry the scopes listed; the client itself does not change",
    )


def _security_schemes(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    components = doc.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    if not isinstance(schemes, dict):
        return {}
    return {str(k): v for k, v in schemes.items() if isinstance(v, dict)}

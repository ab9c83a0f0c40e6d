"""Whether a served JSON body is what the app's OpenAPI schema documents, recursively.

Shared by the server tests that hold every route's answer against its `response_model`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["conforms"]


def _component(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = spec["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return found


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = _component(spec, node)
    return node


def conforms(spec: dict[str, Any], node: dict[str, Any], value: Any, where: str) -> list[str]:
    """Why `value` is not what the schema `node` documents (empty: it is), recursively:
    an object carries every required property and none it does not document."""
    node = _resolve(spec, node)
    if "anyOf" in node:
        problems: list[str] = []
        for choice in node["anyOf"]:
            found = conforms(spec, choice, value, where)
            if not found:
                return []
            problems.extend(found)
        return problems or [f"{where}: no choice fits"]
    kind = node.get("type")
    if kind == "null":
        return [] if value is None else [f"{where}: expected null, got {value!r}"]
    if kind == "array":
        if not isinstance(value, list):
            return [f"{where}: expected an array"]
        items = node.get("items", {})
        return [p for i, v in enumerate(value) for p in conforms(spec, items, v, f"{where}[{i}]")]
    if kind == "object" or "properties" in node:
        if not isinstance(value, dict):
            return [f"{where}: expected an object, got {value!r}"]
        props: dict[str, Any] = node.get("properties", {})
        extra = node.get("additionalProperties")
        out = [f"{where}: {k} missing" for k in node.get("required", []) if k not in value]
        if props and not extra:
            out += [f"{where}: {k} not documented" for k in value if k not in props]
        for key, item in value.items():
            if key in props:
                out += conforms(spec, props[key], item, f"{where}.{key}")
            elif isinstance(extra, dict) and extra:
                out += conforms(spec, extra, item, f"{where}.{key}")
        return out
    types: dict[str, type | tuple[type, ...]] = {
        "string": str,
        "integer": int,
        "number": (int, float),
        "boolean": bool,
    }
    expected = types.get(str(kind))
    if expected is not None and (
        not isinstance(value, expected) or (kind != "boolean" and isinstance(value, bool))
    ):
        return [f"{where}: expected {kind}, got {value!r}"]
    return []

"""The API reference page: the drf-spectacular schema read into plain rows and rendered on the
server as a GOV.UK page (operations, parameters, bodies, responses, a curl line for each), so it
works without JavaScript, under the strict CSP, and for screen readers. The machine-readable
schema stays at `/api/v1/schema/`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

METHODS = ("get", "post", "put", "patch", "delete")
# Words for the verbs drf-spectacular ends operation ids with.
_ACTIONS = {
    "list": "List",
    "retrieve": "Read one",
    "create": "Create",
    "update": "Replace",
    "partial_update": "Change",
    "destroy": "Delete",
}


@dataclass(frozen=True)
class TypeRef:
    """A type as people read it ("list of Alert"), with the data type it links to, if any."""

    text: str
    schema: str = ""


@dataclass(frozen=True)
class Field:
    name: str
    type: TypeRef
    required: bool
    notes: str


@dataclass(frozen=True)
class DataType:
    name: str
    description: str
    fields: tuple[Field, ...] = ()
    values: tuple[str, ...] = ()  # an enumeration's values


@dataclass(frozen=True)
class Body:
    media_type: str
    type: TypeRef


@dataclass(frozen=True)
class Response:
    status: str
    description: str
    bodies: tuple[Body, ...]


@dataclass(frozen=True)
class Operation:
    anchor: str
    method: str
    path: str
    title: str
    description: str
    parameters: tuple[Field, ...]
    locations: tuple[str, ...]  # where each parameter goes (path, query, header)
    bodies: tuple[Body, ...]
    responses: tuple[Response, ...]
    curl: str

    @property
    def parameter_rows(self) -> list[tuple[Field, str]]:
        return list(zip(self.parameters, self.locations, strict=True))


@dataclass(frozen=True)
class Section:
    tag: str
    title: str
    operations: tuple[Operation, ...]


@dataclass(frozen=True)
class Reference:
    title: str
    version: str
    description: str
    sections: tuple[Section, ...]
    data_types: tuple[DataType, ...] = field(default=())

    @property
    def operation_count(self) -> int:
        return sum(len(s.operations) for s in self.sections)


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_of(schema: dict[str, Any]) -> TypeRef:
    if "$ref" in schema:
        name = _ref_name(schema["$ref"])
        return TypeRef(name, name)
    for combined in ("allOf", "oneOf", "anyOf"):
        if combined in schema:
            parts = [type_of(s) for s in schema[combined]]
            joiner = " and " if combined == "allOf" else " or "
            linked = next((p.schema for p in parts if p.schema), "")
            return TypeRef(joiner.join(p.text for p in parts), linked)
    kind = schema.get("type", "object")
    if kind == "array":
        inner = type_of(schema.get("items", {}))
        return TypeRef(f"list of {inner.text}", inner.schema)
    if "format" in schema:
        return TypeRef(f"{kind} ({schema['format']})")
    return TypeRef(str(kind))


def _notes(schema: dict[str, Any]) -> str:
    notes = []
    if schema.get("readOnly"):
        notes.append("read-only")
    if schema.get("writeOnly"):
        notes.append("write-only")
    if schema.get("nullable"):
        notes.append("may be null")
    if "maxLength" in schema:
        notes.append(f"at most {schema['maxLength']} characters")
    if "maxItems" in schema:
        notes.append(f"at most {schema['maxItems']} items")
    if "minimum" in schema or "maximum" in schema:
        notes.append(f"from {schema.get('minimum', '…')} to {schema.get('maximum', '…')}")
    if "enum" in schema:
        notes.append("one of " + ", ".join(str(v) for v in schema["enum"] if v not in ("", None)))
    if schema.get("description"):
        notes.append(str(schema["description"]))
    return "; ".join(notes)


def fields_of(schema: dict[str, Any]) -> tuple[Field, ...]:
    required = set(schema.get("required", []))
    return tuple(
        Field(name, type_of(prop), name in required, _notes(prop))
        for name, prop in schema.get("properties", {}).items()
    )


def _example(schema: dict[str, Any], schemas: dict[str, Any], depth: int = 0) -> Any:
    """A value of the right shape for a curl line: the required, writable fields only."""
    if "$ref" in schema:
        return _example(schemas.get(_ref_name(schema["$ref"]), {}), schemas, depth + 1)
    if "example" in schema:
        return schema["example"]
    if "enum" in schema:
        return next((v for v in schema["enum"] if v not in ("", None)), "")
    for combined in ("allOf", "oneOf", "anyOf"):
        if combined in schema and schema[combined]:
            return _example(schema[combined][0], schemas, depth + 1)
    kind = schema.get("type", "object")
    if kind == "array":
        return [] if depth > 3 else [_example(schema.get("items", {}), schemas, depth + 1)]
    if kind == "object":
        if depth > 3:
            return {}
        required = set(schema.get("required", []))
        return {
            name: _example(prop, schemas, depth + 1)
            for name, prop in schema.get("properties", {}).items()
            if name in required and not prop.get("readOnly")
        }
    return {
        "integer": 0,
        "number": 0,
        "boolean": False,
    }.get(
        kind,
        {"uuid": "00000000-0000-0000-0000-000000000000", "date": "2026-01-31"}.get(
            schema.get("format", ""), "…"
        ),
    )


def curl(method: str, path: str, op: dict[str, Any], schemas: dict[str, Any], base: str) -> str:
    url = base.rstrip("/") + path.replace("{", "<").replace("}", ">")
    line = ["curl"]
    if method != "get":
        line.append(f"-X {method.upper()}")
    line.append('-H "Authorization: Token $PORTCULLIS_TOKEN"')
    content = op.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        body = _example(content["application/json"].get("schema", {}), schemas)
        line.append('-H "Content-Type: application/json"')
        line.append("-d '" + json.dumps(body, ensure_ascii=False).replace("'", "'\\''") + "'")
    elif "multipart/form-data" in content:
        schema = content["multipart/form-data"].get("schema", {})
        if "$ref" in schema:
            schema = schemas.get(_ref_name(schema["$ref"]), {})
        for name, prop in schema.get("properties", {}).items():
            if name in schema.get("required", []) and not prop.get("readOnly"):
                value = "@file" if prop.get("format") == "binary" else "…"
                line.append(f'-F "{name}={value}"')
    line.append(f'"{url}"')
    return " \\\n  ".join(line)


def _title(method: str, path: str, op: dict[str, Any]) -> str:
    if op.get("summary"):
        return str(op["summary"])
    operation_id = str(op.get("operationId", ""))
    for suffix, words in _ACTIONS.items():
        if operation_id.endswith("_" + suffix):
            return words
    last = [part for part in path.strip("/").split("/") if part and "{" not in part][-1]
    return last.replace("-", " ").replace("_", " ").capitalize()


def _bodies(content: dict[str, Any]) -> tuple[Body, ...]:
    return tuple(Body(media, type_of(spec.get("schema", {}))) for media, spec in content.items())


def read(schema: dict[str, Any], base: str) -> Reference:
    """The schema as rows for the page; every operation is kept, in the schema's order."""
    schemas = schema.get("components", {}).get("schemas", {})
    by_tag: dict[str, list[Operation]] = {}
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            params = [p for p in op.get("parameters", []) if isinstance(p, dict) and "name" in p]
            parameters = tuple(
                Field(
                    p["name"],
                    type_of(p.get("schema", {})),
                    bool(p.get("required")),
                    p.get("description", "") or _notes(p.get("schema", {})),
                )
                for p in params
            )
            responses = tuple(
                Response(status, spec.get("description", ""), _bodies(spec.get("content", {})))
                for status, spec in op.get("responses", {}).items()
            )
            tag = (op.get("tags") or ["other"])[0]
            by_tag.setdefault(tag, []).append(
                Operation(
                    anchor=f"op-{op.get('operationId', method + path)}",
                    method=method.upper(),
                    path=path,
                    title=_title(method, path, op),
                    description=op.get("description", ""),
                    parameters=parameters,
                    locations=tuple(p.get("in", "") for p in params),
                    bodies=_bodies(op.get("requestBody", {}).get("content", {})),
                    responses=responses,
                    curl=curl(method, path, op, schemas, base),
                )
            )
    sections = tuple(
        Section(tag, tag.replace("-", " ").replace("_", " ").capitalize(), tuple(ops))
        for tag, ops in sorted(by_tag.items())
    )
    data_types = tuple(
        DataType(
            name,
            spec.get("description", ""),
            fields_of(spec),
            tuple(str(v) for v in spec.get("enum", []) if v not in ("", None)),
        )
        for name, spec in sorted(schemas.items())
    )
    info = schema.get("info", {})
    return Reference(
        info.get("title", "API"),
        info.get("version", ""),
        info.get("description", ""),
        sections,
        data_types,
    )


@cache
def _schema() -> dict[str, Any]:
    """The schema the project's routes make; the same for every caller, so made once."""
    from drf_spectacular.generators import SchemaGenerator

    return dict(SchemaGenerator().get_schema(request=None, public=True))


@login_required  # under /api/, where the site-wide sign-in middleware leaves views to DRF
def api_reference(request: HttpRequest) -> HttpResponse:
    """The API reference for anyone signed in (the schema's own permission)."""
    base = request.build_absolute_uri("/")
    return render(
        request,
        "api/reference.html",
        {"reference": read(_schema(), base), "schema_url": reverse("api-schema")},
    )

"""Routes that declare their schemas once: the declaration validates requests and builds the
OpenAPI document, so the document cannot drift from what the code accepts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, Callable

import orjson
from flask import Blueprint, current_app, request
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.json_schema import models_json_schema

from kit.problems import PROBLEM_MEDIA_TYPE, ApiProblem, Problem

#: What each error status means, unless an app says it more precisely.
ERROR_TEXT = {
    400: "Malformed request: bad header, query parameter or JSON",
    403: "Not allowed",
    404: "Not found",
    409: "Conflict with the current state",
    413: "Body larger than the limit",
    415: "The body, or a file in it, is not of a type the route takes",
    431: "Header fields larger than the limit",
    422: "The body failed validation; `errors` names each field",
    428: "A precondition header is required",
    429: "Too many requests for now; `Retry-After` says when to try again",
    503: "A service this one depends on is unavailable",
}


@dataclass
class Operation:
    """One declared route: what it takes, what it answers."""

    method: str
    rule: str
    view: Callable
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    #: the body may be left out (no bytes at all): the model's defaults then apply
    body_optional: bool = False
    response: Any = None
    status: int = 200
    errors: tuple[int, ...] = ()
    if_match: str | None = None  # "required" or "optional"
    headers: tuple[str, ...] = ()  # response headers: "ETag", "Location"
    tags: tuple[str, ...] = ()
    media_type: str = "application/json"
    #: a multipart/form-data body, described by this model (the view reads request.files)
    multipart: type[BaseModel] | None = None
    #: the success answer is a file of one of these media types
    binary: tuple[str, ...] = ()
    blueprint: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def summary(self) -> str:
        return (self.view.__doc__ or self.view.__name__).strip().splitlines()[0]


def field_errors(exc: ValidationError, whole: str = "body") -> list[dict]:
    """Pydantic errors as ``[{"field", "message"}]``, one per failing field; an error of
    the whole (two parameters that disagree) is named ``whole``."""
    out = []
    for err in exc.errors(include_url=False):
        name = ".".join(str(part) for part in err["loc"]) or whole
        message = err["msg"].removeprefix("Value error, ")
        out.append({"field": name, "message": message})
    return out


def _query(model: type[BaseModel]) -> BaseModel:
    args = {}
    for key, values in request.args.lists():
        if len(values) > 1:
            raise ApiProblem(
                400,
                f"The query parameter {key!r} is given more than once.",
                errors=[{"field": key, "message": "given more than once"}],
            )
        args[key] = values[0]
    try:
        return model.model_validate(args)
    except ValidationError as exc:
        errors = field_errors(exc, whole="query")
        names = ", ".join(sorted({e["field"] for e in errors}))
        detail = "; ".join(e["message"] for e in errors if e["field"] == "query")
        raise ApiProblem(
            400, detail or f"Invalid query parameter: {names}.", errors=errors
        ) from None


def _body(model: type[BaseModel], optional: bool = False) -> BaseModel:
    raw = request.get_data(cache=True)
    if not raw.strip():
        if optional:
            return model()
        raise ApiProblem(400, "The request needs a JSON object as its body.")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ApiProblem(400, f"The body is not valid JSON: {exc}.") from None
    if not isinstance(data, dict):
        raise ApiProblem(
            422,
            "The body must be a JSON object.",
            errors=[{"field": "body", "message": "must be a JSON object"}],
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = field_errors(exc)
        names = ", ".join(e["field"] for e in errors)
        raise ApiProblem(422, f"Please correct: {names}.", errors=errors) from None


class ApiBlueprint(Blueprint):
    """A blueprint whose routes declare their schemas through :meth:`operation`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.operations: list[Operation] = []

    def operation(self, method: str, rule: str, **spec) -> Callable:
        """Declare, validate and register one route."""

        def decorator(view: Callable) -> Callable:
            op = Operation(method=method, rule=rule, view=view, blueprint=self.name, **spec)
            self.operations.append(op)

            @wraps(view)
            def endpoint(**kwargs):
                if op.query is not None:
                    kwargs["query"] = _query(op.query)
                if op.body is not None:
                    kwargs["body"] = _body(op.body, op.body_optional)
                response = current_app.make_response(view(**kwargs))
                if current_app.config.get("VALIDATE_RESPONSES"):
                    _check_response(op, response)
                return response

            self.add_url_rule(rule, endpoint=view.__name__, view_func=endpoint, methods=[method])
            return endpoint

        return decorator


def _check_response(op: Operation, response) -> None:
    """In tests: every answer must match what the document promises."""
    if response.status_code == op.status and op.response is not None:
        TypeAdapter(op.response).validate_json(response.get_data())
    elif response.status_code >= 400:
        model = current_app.config.get("PROBLEM_MODEL") or Problem
        model.model_validate_json(response.get_data())


# ---- the document ----------------------------------------------------------------------


def _path(rule: str) -> tuple[str, list[dict]]:
    params = []
    for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule):
        schema = (
            {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
            if converter == "int"
            else {"type": "string"}
        )
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule), params


def _query_params(model: type[BaseModel]) -> list[dict]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    required = set(schema.get("required", ()))
    out = []
    for name, prop in schema["properties"].items():
        description = prop.pop("description", None)
        prop.pop("title", None)
        param = {"name": name, "in": "query", "required": name in required, "schema": prop}
        if description:
            param["description"] = description
        out.append(param)
    return out


def _schema_ref(model: Any, components: dict) -> dict:
    if isinstance(model, type) and issubclass(model, BaseModel):
        return {"$ref": f"#/components/schemas/{model.__name__}"}
    schema = TypeAdapter(model).json_schema(
        ref_template="#/components/schemas/{model}", mode="serialization"
    )
    components.update(schema.pop("$defs", {}))
    return schema


def _operation_doc(op: Operation, prefix: str, components: dict, common: dict) -> tuple[str, dict]:
    path, params = _path(prefix + op.rule)
    params += [dict(p) for p in common["parameters"]]
    if op.if_match:
        params.append(
            {
                "name": "If-Match",
                "in": "header",
                "required": op.if_match == "required",
                "description": 'the version the change is based on: `"3"` or `3`',
                "schema": {"type": "string", "pattern": r'^(W/)?"?[0-9]{1,18}"?$'},
            }
        )
    if op.query is not None:
        params += _query_params(op.query)
    doc = {
        "operationId": op.view.__name__,
        "summary": op.summary,
        "tags": list(op.tags),
        "parameters": params,
        "responses": {},
    }
    description = (op.view.__doc__ or "").strip().split("\n", 1)
    if len(description) > 1:
        doc["description"] = " ".join(description[1].split())
    if op.body is not None:
        doc["requestBody"] = {
            "required": not op.body_optional,
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{op.body.__name__}"}}
            },
        }
    if op.multipart is not None:
        schema = op.multipart.model_json_schema()
        schema.pop("title", None)
        doc["requestBody"] = {
            "required": True,
            "content": {"multipart/form-data": {"schema": schema}},
        }
    success = {"description": "success"}
    if op.binary:
        success["content"] = {t: {"schema": {"type": "string"}} for t in op.binary}
    if op.response is not None:
        success["content"] = {op.media_type: {"schema": _schema_ref(op.response, components)}}
    if op.headers:
        success["headers"] = {
            h: {"schema": {"type": "string"}, "description": h} for h in op.headers
        }
    doc["responses"][str(op.status)] = success
    statuses = set(op.errors) | {400, 431, 503}
    if op.body is not None:
        statuses |= {413, 422}
    for status in sorted(statuses):
        doc["responses"][str(status)] = {
            "description": common["error_text"].get(status, "error"),
            "content": {
                PROBLEM_MEDIA_TYPE: {
                    "schema": {"$ref": f"#/components/schemas/{common['problem']}"}
                }
            },
        }
    if 429 in statuses:
        doc["responses"]["429"]["headers"] = {
            "Retry-After": {
                "description": "seconds to wait before trying again",
                "schema": {"type": "integer", "minimum": 1},
                "required": True,
            }
        }
    return path, doc


def build_document(
    app,
    title: str,
    version: str,
    *,
    description: str = "",
    parameters: tuple[dict, ...] = (),
    problem_model: type[BaseModel] = Problem,
    error_text: dict[int, str] | None = None,
) -> dict:
    """The OpenAPI 3.1 document of every declared route of the app; ``parameters`` are
    headers every route takes, ``error_text`` says what each error status means here."""
    common = {
        "parameters": parameters,
        "error_text": {**ERROR_TEXT, **(error_text or {})},
        "problem": problem_model.__name__,
    }
    components: dict = {}
    inputs: set = set()
    outputs: set = {problem_model}
    paths: dict = {}
    for blueprint in app.blueprints.values():
        for op in getattr(blueprint, "operations", ()):
            path, doc = _operation_doc(op, blueprint.url_prefix or "", components, common)
            paths.setdefault(path, {})[op.method.lower()] = doc
            if op.body is not None:
                inputs.add(op.body)
            if isinstance(op.response, type) and issubclass(op.response, BaseModel):
                outputs.add(op.response)
    # request bodies are described as they are validated, responses as they are written
    pairs = [(m, "validation") for m in inputs] + [(m, "serialization") for m in outputs]
    _, defs = models_json_schema(pairs, ref_template="#/components/schemas/{model}")
    components.update(defs.get("$defs", {}))
    info = {"title": title, "version": version}
    if description:
        info["description"] = description
    return {
        "openapi": "3.1.0",
        "info": info,
        "paths": paths,
        "components": {"schemas": components},
    }

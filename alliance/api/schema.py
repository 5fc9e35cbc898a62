"""The error responses every operation may give, written into the OpenAPI schema.

drf-spectacular documents only the success response; an integrator generating a client from
the schema also needs the errors' shapes (alliance/api/exceptions.py makes them): a message per
field for bad input, one `detail` for the rest.
"""

DETAIL = "Error"
FIELDS = "FieldErrors"
SCHEMAS = {
    DETAIL: {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    FIELDS: {
        "type": "object",
        "description": (
            "Messages by field name, in the request's language; `non_field_errors` for the "
            "request as a whole. A list field's messages are keyed by item index."
        ),
        "additionalProperties": {
            "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "object"}]
        },
    },
}
WRITES = {"post", "put", "patch"}


def _errors(path: str, method: str) -> list[tuple[str, str, str]]:
    names_a_record = "{" in path
    errors = []
    if method in WRITES or not names_a_record:  # lists: a bad filter or page size is a 400
        errors.append(("400", "Invalid input; nothing was changed.", FIELDS))
    errors += [
        ("401", "Not signed in, or the token is invalid or expired.", DETAIL),
        ("403", "The role may see this but not do it.", DETAIL),
    ]
    if names_a_record:
        errors.append(("404", "No such record, or one this account may not see.", DETAIL))
    elif method == "get":
        errors.append(("404", "A page past the last one.", DETAIL))
    errors.append(
        ("429", "Too many requests; retry after the Retry-After header's seconds.", DETAIL)
    )
    return errors


def add_error_responses(result, generator, request, public):
    """POSTPROCESSING_HOOKS entry (settings.SPECTACULAR_SETTINGS)."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(SCHEMAS)
    for path, operations in result["paths"].items():
        for method, operation in operations.items():
            for status, description, schema in _errors(path, method):
                operation["responses"].setdefault(
                    status,
                    {
                        "description": description,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": f"#/components/schemas/{schema}"}
                            }
                        },
                    },
                )
    return result


def require_response_fields(result, generator, request, public):
    """POSTPROCESSING_HOOKS entry: every field of a response is always there (a serializer
    writes each one, null or not), but drf-spectacular marks a model field with a default
    (`status`, `minutes`) optional, and a generated client then makes it Optional."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") or name in SCHEMAS or "properties" not in component:
            continue
        component["required"] = list(component["properties"])
    return result

"""The OpenAPI schema documents the errors every operation can answer, not only success.

drf-spectacular documents what a view returns when all goes well; the API's error
answers are uniform (``api_policy.exception_handler``), so they are added here to every
operation by what it takes: 400 with field errors when it reads a body or query
parameters (or writes: a refusal of the state, such as deleting an approved expense),
401/403 when it needs a signed-in user, 404 when it names a record (in its path or a
filter) or is a page of a list, 409 when it sends a ``version`` or deletes (a stale
version or a record that holds the one deleted), 415 when it reads a body, and 429 when
it is throttled.

Referenced from ``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]``, so it imports no view.
"""

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, force_instance
from rest_framework.permissions import AllowAny
from rest_framework.relations import ManyRelatedField

__all__ = ["ERROR_COMPONENTS", "AutoSchema", "ScopedRelatedFieldExtension"]

_MESSAGE = {"type": "string", "description": "What went wrong, in the user's language."}

ERROR_COMPONENTS: dict[str, dict[str, Any]] = {
    "Error": {
        "type": "object",
        "description": "A refusal that concerns the request as a whole.",
        "properties": {"detail": _MESSAGE},
        "required": ["detail"],
    },
    "ValidationError": {
        "type": "object",
        "description": "The fields that were refused, each with its messages (nested "
        "for nested records); ``non_field_errors`` for the request as a whole, "
        "``detail`` when the body could not be read.",
        "properties": {
            "non_field_errors": {"type": "array", "items": {"type": "string"}}
        },
        "additionalProperties": {},
    },
    "Conflict": {
        "type": "object",
        "description": "Nothing was written: the ``version`` sent is stale "
        "(``current_version`` is the record's), or records hold the one to delete "
        "(``blocked_by`` names their kinds).",
        "properties": {
            "detail": _MESSAGE,
            "current_version": {"type": "integer", "nullable": True},
            "blocked_by": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "kind": {"type": "string"},
                        "name": {"type": "string"},
                    },
                    "required": ["kind", "name"],
                },
            },
        },
        "required": ["detail"],
    },
}

_DESCRIPTIONS = {
    "400": "The request was refused; nothing was written.",
    "401": "Not signed in, or the token is invalid or expired.",
    "403": "Signed in, but the user's role does not allow this.",
    "404": "No such record, or it is outside the user's scope (the same answer), or "
    "no such page of the list.",
    "409": "Stale version or a record that cannot be deleted; nothing was written.",
    "415": "The body is in a media type the operation does not read.",
    "429": "Too many requests; try again later.",
}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, with the error answers documented (see the module)."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(
            path, path_regex, path_prefix, method, registry
        )
        if operation is None:
            return None
        responses = operation["responses"]
        for code, component in self._error_responses(operation):
            responses.setdefault(
                code,
                {
                    "description": _DESCRIPTIONS[code],
                    "content": {
                        "application/json": {"schema": self._error_ref(component)}
                    },
                },
            )
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _error_ref(self, name: str) -> dict[str, str]:
        component = ResolvedComponent(
            name=name,
            type=ResolvedComponent.SCHEMA,
            object=f"clientfolio.core.api_schema.{name}",
            schema=ERROR_COMPONENTS[name],
        )
        self.registry.register_on_missing(component)
        return component.ref

    def _sends_version(self) -> bool:
        serializer = force_instance(self.get_request_serializer())
        return "version" in getattr(serializer, "fields", {})

    def _error_responses(self, operation: dict[str, Any]) -> list[tuple[str, str]]:
        parameters = operation.get("parameters", [])
        in_path = any(p["in"] == "path" for p in parameters)
        in_query = any(p["in"] == "query" for p in parameters)
        body = operation.get("requestBody")
        writes = self.method in ("POST", "PUT", "PATCH", "DELETE")
        errors = []
        if writes or in_query:
            errors.append(("400", "ValidationError"))
        open_to_all = any(
            issubclass(permission, AllowAny)
            for permission in getattr(self.view, "permission_classes", [])
        )
        if not open_to_all:
            errors += [("401", "Error"), ("403", "Error")]
        if in_path or in_query or getattr(self.view, "is_portal", False):
            # A filter may name a record (``?project=``), a list has pages; the
            # portal's API does not exist for anyone but client contacts.
            errors.append(("404", "Error"))
        if self.method == "DELETE" or (body and self._sends_version()):
            errors.append(("409", "Conflict"))
        if body:
            errors.append(("415", "Error"))
        if getattr(self.view, "throttle_classes", None):
            errors.append(("429", "Error"))
        return errors


class ScopedRelatedFieldExtension(OpenApiSerializerFieldExtension):
    """A ``ScopedRelatedField`` reads as null when the other end is outside the reader's
    scope, so its answer is documented as nullable (a list of them leaves such ids out)."""

    target_class = "clientfolio.core.serializers.ScopedRelatedField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(
            self.target, direction, bypass_extensions=True
        )
        if direction == "response" and not isinstance(
            self.target.parent, ManyRelatedField
        ):
            schema["nullable"] = True
        return schema

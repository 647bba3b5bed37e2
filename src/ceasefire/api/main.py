"""The API object: /api/v1/, bearer tokens or the session, one error shape."""

from django.conf import settings
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from . import errors
from .auth import PUBLIC, BearerToken, Session
from .routers import (
    agreements,
    exchanges,
    forces,
    map,
    mechanism,
    meetings,
    mines,
    missing,
    needs,
    places,
    publications,
    record,
    reports,
    routes,
    stats,
    translations,
    zones,
)
from .throttling import LIMITS


class Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Arabic as itself, not \u escapes


class Api(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        # "take_position" rather than "ceasefire_api_routers_meetings_take_position": what a client
        # generated from the schema calls its methods. The view names are unique across routers.
        name = operation.view_func.__name__
        if PUBLIC[-1] in operation.auth_callbacks:
            self._public_operations.add(name)
        return name

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        self._public_operations: set[str] = set()
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        # OpenAPI says "credentials optional" with an empty requirement: the routes anyone may read.
        for operations in schema["paths"].values():
            for operation in operations.values():
                if operation.get("operationId") in self._public_operations:
                    operation["security"] = [*operation.get("security", []), {}]
        return schema


api = Api(
    title="ceasefire",
    version="1",
    description=(
        "The joint record of a ceasefire committee. Authenticate with `Authorization: Bearer <token>` "
        "(`ceasefire token create USERNAME`) or, from the browser, the session with its CSRF token. "
        "What anyone may check the record with (the checkpoint, the log key, proofs, the entries of the "
        "caller's audience, the witness keys) is served without login; a witness sends its cosignature "
        "without login too, its signature being its credential. "
        'Every error answers {"detail": [{"field": ..., "message": ...}]}.'
    ),
    urls_namespace="api",
    auth=[BearerToken(), Session()],
    parser=errors.JsonParser(),
    renderer=Renderer(),
    throttle=LIMITS,  # every operation: per token, account or address (throttling.py)
    # The interactive docs serve Swagger UI from the ninja package's static files only when "ninja"
    # is an installed app; otherwise from a CDN, which our (often offline) users cannot reach.
    docs_url="/docs" if "ninja" in settings.INSTALLED_APPS else None,
)
errors.install(api)

api.add_router("", mechanism.router)
api.add_router("", agreements.router)
api.add_router("", meetings.router)
api.add_router("", record.router)
api.add_router("", reports.router)
api.add_router("", map.router)
api.add_router("", stats.router)
api.add_router("", places.router)
api.add_router("", needs.router)
api.add_router("", translations.router)
api.add_router("", publications.router)
api.add_router("", zones.router)
api.add_router("", forces.router)
api.add_router("", routes.router)
api.add_router("", exchanges.router)
api.add_router("", missing.router)
api.add_router("", mines.router)

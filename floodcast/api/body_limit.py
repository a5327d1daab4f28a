"""Refuse request bodies over a size limit (413) before they are read into memory."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from floodcast.api.exceptions import PayloadTooLargeError
from floodcast.api.problem import problem_response

__all__ = ["BodyLimitMiddleware"]


class BodyLimitMiddleware:
    """Answer 413 for a declared ``Content-Length`` over ``max_bytes``; for a body streamed
    without one, raise ``PayloadTooLargeError`` from ``receive`` once the limit is passed (the
    problem handlers turn it into the same 413).

    Args:
        app: the wrapped application.
        max_bytes: largest accepted body.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            detail = (
                f"the body is over the {self.max_bytes}-byte limit"
                if declared.isdigit()
                else "invalid Content-Length"
            )
            status = 413 if declared.isdigit() else 400
            response = problem_response(
                status,
                detail=detail,
                slug="payload-too-large" if status == 413 else None,
                title="Content Too Large" if status == 413 else None,
                instance=scope["path"],
                headers={"Connection": "close"},
            )
            await response(scope, receive, send)
            return
        received = 0
        limit = self.max_bytes

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise PayloadTooLargeError(f"the body is over the {limit}-byte limit")
            return message

        await self.app(scope, limited, send)

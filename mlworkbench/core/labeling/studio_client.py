"""A Label Studio connection (label-studio-sdk 2.x) that fails with messages a user can act on.

Every call goes through :meth:`StudioClient.call`: an unreachable server is retried with backoff
then reported with its URL and what to try; a refused API key says so (the key itself is never
put in a message, a log or a response); other HTTP errors name the call and the status.
Imports are retried only when the request cannot have reached the server (the connection was
refused), so a retry never creates tasks twice.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from datetime import datetime, timezone
from typing import Any, Callable, TypeVar

from mlworkbench.core.errors import (
    InvalidRequestError,
    LabelStudioError,
    NotFoundError,
    StudioKeyRefusedError,
    StudioUnreachableError,
)

T = TypeVar("T")
ENV_URL = "LABEL_STUDIO_URL"
ENV_KEY = "LABEL_STUDIO_API_KEY"
BACKOFF = (0.5, 1.0, 2.0)  # seconds before each retry of a transient failure
TRANSIENT_STATUS = {429, 502, 503, 504}
TIMEOUT = 600.0  # a large export takes minutes on a busy server


@dataclass(frozen=True)
class Connection:
    """Where Label Studio is and the key to it (``repr`` leaves the key out)."""

    url: str
    api_key: str = field(repr=False)

    @classmethod
    def resolve(cls, url: str | None = None, api_key: str | None = None) -> Connection:
        """The URL and key given (server config), else ``$LABEL_STUDIO_URL`` and
        ``$LABEL_STUDIO_API_KEY``.

        Raises:
            InvalidRequestError: one of them is missing; the message says where to set it.
        """
        url = (url or os.environ.get(ENV_URL) or "").strip().rstrip("/")
        api_key = (api_key or os.environ.get(ENV_KEY) or "").strip()
        if not url:
            raise InvalidRequestError(
                "url", "No Label Studio URL: set c.MLWorkbench.label_studio_url in the Jupyter "
                f"server's config or ${ENV_URL} (e.g. http://localhost:8080).",
            )
        if not url.startswith(("http://", "https://")):
            raise InvalidRequestError("url", f"'{url}' is not an http(s) URL of Label Studio.")
        if not api_key:
            raise InvalidRequestError(
                "api_key", "No Label Studio API key: copy the Access Token from Label Studio's "
                "Account & Settings page into c.MLWorkbench.label_studio_api_key or "
                f"${ENV_KEY}.",
            )
        return cls(url, api_key)


class StudioClient:
    """The SDK client plus error translation and retries."""

    def __init__(self, connection: Connection, *, backoff: tuple[float, ...] = BACKOFF) -> None:
        from label_studio_sdk import LabelStudio

        self.url = connection.url
        self.sdk = LabelStudio(base_url=connection.url, api_key=connection.api_key,
                               timeout=TIMEOUT)
        self._backoff = backoff

    def call(self, what: str, fn: Callable[..., T], *args: Any, resend: bool = True,
             **kwargs: Any) -> T:
        """Run one SDK call; ``what`` names it in errors. ``resend=False`` (imports) retries
        only failures where the request never reached the server."""
        import httpx
        from label_studio_sdk.core.api_error import ApiError

        kwargs.setdefault("request_options", {})["max_retries"] = 0
        for attempt in range(len(self._backoff) + 1):
            try:
                return fn(*args, **kwargs)
            except httpx.ConnectError as e:
                error: Exception = e
            except (httpx.TimeoutException, httpx.RemoteProtocolError) as e:
                if not resend:
                    raise self._unreachable(what, e) from e
                error = e
            except ApiError as e:
                if e.status_code in (401, 403):
                    raise self._refused(e.status_code) from None
                if e.status_code == 404:
                    raise NotFoundError("Label Studio object", what,
                                        f"Label Studio at {self.url} has no such object: {what}.")
                if not resend or e.status_code not in TRANSIENT_STATUS:
                    raise LabelStudioError(
                        f"Label Studio at {self.url} refused to {what} (HTTP {e.status_code}): "
                        f"{_short(e.body)}", status_code=e.status_code,
                    ) from None
                error = e
            if attempt < len(self._backoff):
                time.sleep(self._backoff[attempt])
        raise self._unreachable(what, error)

    def request(self, what: str, path: str, *, method: str = "GET",
                params: dict[str, Any] | None = None, body: Any = None,
                resend: bool = True):
        """A raw authenticated request through the SDK's transport (for the Data Manager's
        task filters and ``ids[]`` export parameters the typed client does not express, and
        for imports); ``body`` (JSON values) is sent as JSON. Returns the ``httpx.Response``."""
        from label_studio_sdk.core.api_error import ApiError

        content = headers = None
        if body is not None:
            # Encoded as httpx encodes ``json=``, from values that are JSON already: the SDK's
            # typed calls first walk a body through its jsonable_encoder (0.25 s of CPU per
            # 10,000 small tasks, before the first byte leaves).
            content = json.dumps(body, ensure_ascii=False, separators=(",", ":"),
                                 allow_nan=False).encode()
            headers = {"content-type": "application/json"}

        def send(request_options=None):
            response = self.sdk._client_wrapper.httpx_client.request(
                path, method=method, params=params, content=content, headers=headers,
                request_options=request_options,
            )
            if response.status_code >= 400:
                raise ApiError(status_code=response.status_code, headers=dict(response.headers),
                               body=response.text)
            return response

        return self.call(what, send, resend=resend)

    def get(self, what: str, path: str, params: dict[str, Any] | None = None):
        """A raw authenticated GET (see :meth:`request`); returns the ``httpx.Response``."""
        return self.request(what, path, params=params)

    def import_tasks(self, project_id: int, tasks: list[dict[str, Any]]) -> list[int]:
        """Create ``tasks`` (JSON values: ``{"data", "predictions"}`` or flat data) in one
        import call (the SDK's ``projects.import_tasks``, same endpoint and parameters);
        return the new tasks' ids in order. Never resent once it may have reached the
        server (a resend could create the tasks twice)."""
        response = self.request(f"import {len(tasks)} tasks", f"api/projects/{project_id}/import",
                                method="POST", params={"return_task_ids": "true"}, body=tasks,
                                resend=False)
        return [int(task_id) for task_id in json.loads(response.content).get("task_ids") or ()]

    def get_json(self, what: str, path: str, params: dict[str, Any] | None = None) -> Any:
        return json.loads(self.get(what, path, params).content)

    def whoami(self) -> Any:
        """Check the URL and key with the cheapest authenticated call."""
        return self.call("check the API key", self.sdk.users.whoami)

    def _refused(self, status: int) -> StudioKeyRefusedError:
        return StudioKeyRefusedError(
            f"Label Studio at {self.url} refused the API key (HTTP {status}). Copy the Access "
            "Token from its Account & Settings page into c.MLWorkbench.label_studio_api_key or "
            f"${ENV_KEY} (legacy tokens must be enabled in its Organization settings).",
            url=self.url, status_code=status,
        )

    def _unreachable(self, what: str, error: Exception) -> StudioUnreachableError:
        return StudioUnreachableError(
            f"Label Studio is not reachable at {self.url} (while trying to {what}: "
            f"{type(error).__name__}: {_short(str(error))}). Check that it runs "
            "('label-studio start') and that c.MLWorkbench.label_studio_url or "
            f"${ENV_URL} points at it; nothing was written to the label set.",
            url=self.url,
        )


def server_time(response: Any) -> datetime:
    """The server's clock from a response's Date header (else ours), UTC."""
    try:
        return parsedate_to_datetime(response.headers["date"]).astimezone(timezone.utc)
    except (KeyError, TypeError, ValueError):
        return datetime.now(timezone.utc)


def _short(text: Any, limit: int = 300) -> str:
    text = text if isinstance(text, str) else json.dumps(text, default=str)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."

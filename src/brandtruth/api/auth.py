"""Optional bearer-token auth for `/workflow` (enabled by BRANDTRUTH_API_KEY)."""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request, status


async def require_api_key(request: Request) -> None:
    """401 unless the request carries `Authorization: Bearer <BRANDTRUTH_API_KEY>`.

    EventSource cannot set headers, so the key is also accepted as `?access_token=` on GET.
    """
    expected: str | None = request.app.state.settings.api_key
    if not expected:
        return
    supplied = ""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        supplied = header[7:].strip()
    elif request.method == "GET":
        supplied = request.query_params.get("access_token", "")
    if not supplied or not hmac.compare_digest(supplied.encode(), expected.encode()):
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Missing or wrong API key: send 'Authorization: Bearer <BRANDTRUTH_API_KEY>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )

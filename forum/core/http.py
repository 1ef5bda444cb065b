"""Facts about the request that depend on how the site is deployed."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The reader's address. Behind `PROXY_HOPS` trusted proxies (a load balancer), it is the
    address the outermost of them saw, read from X-Forwarded-For; otherwise the peer's."""
    hops = settings.PROXY_HOPS
    if hops:
        forwarded = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR")

"""`/support/webhook/<provider>/`: where providers tell the site what happened to a payment."""

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import providers, services

MAX_BODY = 512 * 1024  # Stripe's events are a few kilobytes; anything near this is not one


@csrf_exempt  # the provider signs the body instead; it has no cookie or token to send
@require_POST
def webhook(request, provider):
    """400 for a body the provider did not sign; 200 for every event it did (stored once,
    processed by a task), including the types the site does not act on, so that the provider
    does not keep redelivering them."""
    if provider not in providers.PROVIDERS or (
        provider == providers.DevProvider.name and not providers.dev_is_live()
    ):
        raise Http404("No such provider.")
    if int(request.headers.get("content-length") or 0) > MAX_BODY:
        return HttpResponseBadRequest("Too large.", content_type="text/plain")
    try:
        services.receive_event(provider=provider, body=request.body, headers=request.headers)
    except providers.BadSignature as error:
        return HttpResponseBadRequest(f"Bad signature: {error}.", content_type="text/plain")
    return HttpResponse("OK", content_type="text/plain")

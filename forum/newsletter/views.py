from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def about(request):
    """What the newsletter is; sign-up arrives with the newsletter issue."""
    return render(request, "newsletter/about.html")


def _coming(request, *args, **kwargs):
    raise Http404("coming")


subscribe = check_email = confirm = request_link = manage = unsubscribe = archive = issue = _coming

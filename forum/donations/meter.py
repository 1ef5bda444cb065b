"""The reading meter."""

from django.http import HttpResponse


def dismiss(request):
    return HttpResponse("to be built")

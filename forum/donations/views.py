from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def support(request):
    """Why and how to support the magazine; online giving arrives with the donations issue."""
    return render(request, "donations/support.html")


def thanks(request, token):
    return HttpResponse("to be built")


def supporters(request):
    return HttpResponse("to be built")


def request_link(request):
    return HttpResponse("to be built")


def manage(request, token):
    return HttpResponse("to be built")

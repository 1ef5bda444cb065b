"""The dev provider's own pages: a stand-in hosted checkout and customer portal."""

from django.http import HttpResponse


def checkout(request, token):
    return HttpResponse("dev checkout: to be built")


def portal(request, token):
    return HttpResponse("dev portal: to be built")

from django.http import Http404


def bounces(request):
    raise Http404("coming")

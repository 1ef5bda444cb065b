from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def support(request):
    """Why and how to support the magazine; online giving arrives with the donations issue."""
    return render(request, "donations/support.html")

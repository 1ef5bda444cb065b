from django.urls import path

from . import dev_views, meter, views, webhooks

app_name = "donations"

urlpatterns = [
    path("", views.support, name="support"),
    path("thanks/<str:token>/", views.thanks, name="thanks"),
    path("supporters/", views.supporters, name="supporters"),
    path("link/", views.request_link, name="request-link"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("webhook/<str:provider>/", webhooks.webhook, name="webhook"),
    path("dev/checkout/<str:token>/", dev_views.checkout, name="dev-checkout"),
    path("dev/portal/<str:token>/", dev_views.portal, name="dev-portal"),
    path("reading/dismiss/", meter.dismiss, name="meter-dismiss"),
]

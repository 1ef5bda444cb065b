from django.urls import path

from . import views

app_name = "privacy"

# Under /privacy/, whose page itself (the editors' text) belongs to forum.pages: no "" here.
urlpatterns = [
    path("your-data/", views.your_data, name="your-data"),
    path("your-data/download/", views.download, name="download"),
    path("your-data/delete/", views.delete_account, name="delete"),
    path("done/", views.done, name="done"),
    path("ask/", views.request_link, name="request-link"),
    path("ask/sent/", views.link_sent, name="link-sent"),
    path("data/<str:token>/", views.guest, name="guest"),
]

from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("ceasefire.api.urls")),
    path("", include("ceasefire.web.urls")),
]

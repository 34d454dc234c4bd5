from django.urls import path
from django.views.generic import RedirectView

app_name = "web"

# The role home pages arrive with the workflow issue; until then the site opens on the admin.
urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False), name="home"),
]

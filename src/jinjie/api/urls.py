from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

router = SimpleRouter()
router.register("employees", views.EmployeeViewSet, basename="employee")

urlpatterns = [
    path("token/", obtain_auth_token, name="token"),
    path("", include(router.urls)),
]

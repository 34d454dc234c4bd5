"""Login (throttled) and logout (POST only, Django's LogoutView)."""

from django.contrib.auth import views as auth_views

from ..forms_auth import ThrottledLoginForm


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = ThrottledLoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]

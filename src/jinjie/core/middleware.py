"""Middleware of the whole site: the language, the security headers, idle sessions.

Chinese first: the interface is zh-hans unless the user chose English with the switch. Django's
LocaleMiddleware would follow the browser's Accept-Language, so an English-language browser on the
bureau's intranet would get English menus around Chinese data. Here only the language cookie set by
the switch (django.views.i18n.set_language) changes the language.
"""

import time

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChineseFirstLocaleMiddleware:
    # The language cookie of the switch, else zh-hans (see the module's docstring).

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


# --- security headers -------------------------------------------------------------------------------

# The pages load only their own files (Bootstrap, htmx and jinjie.js from /static/) and run no inline
# script, style or event handler. `data:` images: Bootstrap's CSS draws its small icons (select
# arrows, the menu toggler, close buttons) as inline SVG data URLs.
STRICT_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# The offline Swagger UI (drf-spectacular's template) configures itself in an inline <script> that
# carries the request's CSRF token — no fixed hash can allow it — and styles itself inline.
# It is a login-only page that shows no user data beyond the API's own description.
LOOSER_POLICIES = {
    "/api/docs/": {**STRICT_POLICY, "script-src": "'self' 'unsafe-inline'", "style-src": "'self' 'unsafe-inline'"},
}
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer",
        "microphone", "midi", "payment", "publickey-credentials-get", "screen-wake-lock", "serial", "usb",
        "xr-spatial-tracking",
    )
)


def _header(policy: dict[str, str]) -> str:
    return "; ".join(f"{directive} {value}" for directive, value in policy.items())


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response (pages, API, errors, static
    files). Referrer-Policy and nosniff come from Django's SecurityMiddleware (settings)."""

    strict = _header(STRICT_POLICY)
    looser = {prefix: _header(policy) for prefix, policy in LOOSER_POLICIES.items()}
    debug_errors = _header(LOOSER_POLICIES["/api/docs/"])

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("application/pdf"):
            # Chromium's PDF viewer is a plugin inside the response's own document: object-src
            # 'none' there would blank it. A PDF runs nothing; it still may not be framed.
            policy = "frame-ancestors 'none'"
        elif settings.DEBUG and response.status_code in (404, 500):
            # Django's technical error pages (development only) are styled and scripted inline.
            policy = self.debug_errors
        else:
            policy = next((p for prefix, p in self.looser.items() if request.path.startswith(prefix)), self.strict)
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


# --- idle sessions ----------------------------------------------------------------------------------

SESSION_SEEN_KEY = "_jinjie_seen"
SESSION_RENEW_AFTER = 60  # seconds


class SessionIdleMiddleware:
    """A session lasts SESSION_COOKIE_AGE (JINJIE_SESSION_IDLE_SECONDS) after its last save, in the
    database and in the browser's cookie. Saving it on every request (SESSION_SAVE_EVERY_REQUEST)
    would add a write to each page, htmx call and API call; here a request saves it only when the
    last save is a minute old, so a session ends between IDLE and IDLE + 1 minute after the last
    request, for one write a minute at most."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key:  # a visitor without a cookie gets no session
            now = int(time.time())
            seen = session.get(SESSION_SEEN_KEY, 0)
            # Loading a session that is unknown or expired forgets its key: nothing to renew then.
            if session.session_key and now - seen >= SESSION_RENEW_AFTER:
                session[SESSION_SEEN_KEY] = now
        return self.get_response(request)

"""The demo and local development: embedded SQLite unless DATABASE_URL says otherwise.

The demo shows what the bureau's users will see: DEBUG stays off (the base settings' `DEBUG=1` in
the environment turns it on for development), so a wrong address or a failure answers the Chinese
404/500 pages, not Django's technical pages in English. WhiteNoise then serves the static files
straight from the apps' and the project's static folders (no collectstatic for the demo).
"""

from .base import *  # noqa: F403
from .base import DEBUG, STATIC_ROOT

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# WhiteNoise warns at start-up about a missing STATIC_ROOT even when the finders serve everything.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

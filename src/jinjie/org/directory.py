"""Login through the bureau's directory (统一身份认证, LDAP), off unless JINJIE_LDAP_URI is set.

django-auth-ldap binds to the directory to find the person (JINJIE_LDAP_USER_SEARCH_BASE and
_FILTER) and then binds as them with the password typed: the directory checks the password, and
nothing else comes from it. Authority stays in Jinjie:

- the Jinjie login must already exist (HR creates it at /users/ or in bulk) and is matched by its
  user name exactly, as a local login is; the directory never creates a login, and never writes
  one's name, flags, roles, scope or groups (no attribute or group mapping, whatever AUTH_LDAP_*
  settings say: `FIXED` below);
- the directory grants no permission (every permission question answers "nothing from here");
- a login that may not log in locally may not log in here either (离岗, deactivated:
  org.backends.may_log_in), and an open session of one who has left ends at the next request;
- superusers log in with their local password only: whoever can reset a password in the directory
  must not thereby become Jinjie's administrator, and the administrator's login must not depend
  on the directory being up;
- the first directory login of a login that still holds a one-time password (must_change_password)
  retires that password (org.services.one_time_password_retire): the person's password is the
  directory's, and the one HR printed must not stay valid beside it. So the forced password change
  (web.middleware.PasswordChangeRequired) never stands in a directory login's way, on the pages or
  through a token.

The login throttle (core.throttle) sits in front of every backend, this one included. When the
directory cannot be asked (down, timed out, a wrong bind password) the failure is logged, the
request is marked (org.backends.directory_unreachable) for the login page and POST /api/token/ to
say so in Chinese, and local logins go on working.
"""

import logging

from django.dispatch import receiver
from django_auth_ldap.backend import LDAPBackend, ldap_error
from django_auth_ldap.config import LDAPSettings

from .backends import DIRECTORY_UNREACHABLE_FLAG, may_log_in
from .services import one_time_password_retire

logger = logging.getLogger(__name__)

# What Jinjie never lets the directory do, whatever the settings say.
FIXED = {
    "NO_NEW_USERS": True,
    "ALWAYS_UPDATE_USER": False,
    "USER_ATTR_MAP": {},
    "USER_FLAGS_BY_GROUP": {},
    "USER_QUERY_FIELD": None,
    "MIRROR_GROUPS": None,
    "MIRROR_GROUPS_EXCEPT": None,
    "FIND_GROUP_PERMS": False,
    "AUTHORIZE_ALL_USERS": False,
    "PERMIT_EMPTY_PASSWORD": False,
    "CACHE_TIMEOUT": 0,
}


class DirectoryBackend(LDAPBackend):
    @property
    def settings(self):
        if self._settings is None:
            settings = LDAPSettings(self.settings_prefix, self.default_settings)
            for name, value in FIXED.items():
                setattr(settings, name, value)
            self._settings = settings
        return self._settings

    @settings.setter
    def settings(self, settings):
        self._settings = settings

    def get_or_build_user(self, username, ldap_user):
        """The existing login of exactly that user name, or no login at all (never one built)."""
        model = self.get_user_model()
        try:
            return model._default_manager.get_by_natural_key(username), False
        except model.DoesNotExist:
            raise ldap_user.AuthenticationFailed("no Jinjie login of that user name") from None

    def authenticate_ldap_user(self, ldap_user, password):
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is None or user.is_superuser or not may_log_in(user):
            return None
        if user.must_change_password:
            one_time_password_retire(user=user)
        return user

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and not user.is_superuser and may_log_in(user) else None

    # Permissions are Jinjie's (org.authority, and Django's own for the admin): none from here.
    def has_perm(self, user, perm, obj=None):
        return False

    def has_module_perms(self, user, app_label):
        return False

    def get_all_permissions(self, user, obj=None):
        return set()

    def get_group_permissions(self, user, obj=None):
        return set()


@receiver(ldap_error, sender=DirectoryBackend)
def _directory_unreachable(sender, context, user, request, exception, **kwargs):
    logger.error("统一身份认证：目录服务出错(%s)：%r", context, exception)
    if request is not None:
        setattr(request, DIRECTORY_UNREACHABLE_FLAG, True)

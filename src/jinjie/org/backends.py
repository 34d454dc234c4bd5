"""Password logins: Django's, except that an employee who has left (离岗) cannot log in, whatever
the state of their login (issue: "Leaving staff lose their login's access at once").

The same check guards the optional directory login (org.directory, 统一身份认证): `may_log_in`.
"""

from django.contrib.auth.backends import ModelBackend

# Set on the request by org.directory when the directory could not be asked (down, timed out, a
# wrong bind password): the login page and POST /api/token/ then say so instead of "wrong password".
DIRECTORY_UNREACHABLE_FLAG = "_jinjie_directory_unreachable"
DIRECTORY_UNREACHABLE = (
    "统一身份认证(目录服务)暂时无法连接，目录账号现在无法登录；本系统的本地账号不受影响。"
    "请稍后再试，或联系信息中心。"
)


def may_log_in(user) -> bool:
    """An active login, and not that of an employee who has left (离岗)."""
    if not getattr(user, "is_active", True):
        return False
    employee = user.employee if user.employee_id else None
    return employee is None or employee.status != "离岗"


def directory_unreachable(request) -> bool:
    return bool(request is not None and getattr(request, DIRECTORY_UNREACHABLE_FLAG, False))


class JinjieBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and may_log_in(user)

    def get_user(self, user_id):
        # Every request re-reads its session's user: one who left since logging in is logged out.
        user = super().get_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

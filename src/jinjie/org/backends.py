"""Password logins: Django's, except that an employee who has left (离岗) cannot log in, whatever
the state of their login (issue: "Leaving staff lose their login's access at once")."""

from django.contrib.auth.backends import ModelBackend


class JinjieBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        employee = user.employee if user.employee_id else None
        return employee is None or employee.status != "离岗"

    def get_user(self, user_id):
        # Every request re-reads its session's user: one who left since logging in is logged out.
        user = super().get_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

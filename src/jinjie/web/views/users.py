"""登录账号: HR gives the employees of their units logins in bulk (a printable Excel list of
one-time passwords), resets a forgotten password, switches a login off; superusers manage the staff
logins (roles and data scopes). Every write is org.services' and the authority's to allow."""

import io

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jinjie.interchange.writers import write_table
from jinjie.org.models import User
from jinjie.org.scoping import visible_org_units
from jinjie.org.selectors import logins_for
from jinjie.org.services import (
    employee_logins_create,
    password_change_own,
    staff_user_save,
    user_reset_password,
    user_set_active,
)
from jinjie.people.selectors import employees_without_login

from ..access import requires
from ..forms_users import BulkLoginsForm, PasswordChangeForm, StaffUserForm
from ..refusals import shows_refusals
from .common import go, paginate

ISSUED_HEADERS = (gettext_noop("工号"), gettext_noop("姓名"), gettext_noop("所属单位"), gettext_noop("用户名"), gettext_noop("初始密码"))


def _login(request, pk: int) -> User:
    user = logins_for(viewer=request.user).filter(pk=pk).first()
    if user is None:
        raise Http404(gettext("没有找到该账号，或不在您的管理范围内"))
    return user


@requires("users.manage")
@require_GET
def users(request):
    q = (request.GET.get("q") or "").strip()[:50]
    unit_id = request.GET.get("unit") or ""
    unit = visible_org_units(request.user).filter(pk=unit_id).first() if unit_id.isdigit() else None
    own = request.user.org_unit
    waiting = employees_without_login(unit=own).count() if own is not None else 0
    return render(
        request,
        "web/users.html",
        {
            "page": paginate(request, logins_for(viewer=request.user, unit=unit, q=q)),
            "q": q,
            "unit": unit,
            "units": visible_org_units(request.user).order_by("path"),
            "waiting": waiting,
            "bulk_form": BulkLoginsForm(user=request.user),
        },
    )


@requires("users.manage")
@require_POST
@shows_refusals("web:users")
def users_bulk(request):
    """Logins for every active employee of a unit who has none: the response is the Excel list to
    print and hand out (the one-time passwords are in no other place)."""
    form = BulkLoginsForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return go(request, reverse("web:users"))
    unit = form.cleaned_data["org_unit"]
    issued = employee_logins_create(actor=request.user, employees=employees_without_login(unit=unit))
    if not issued:
        messages.info(request, gettext("%(unit)s 的在岗员工都已有登录账号，没有新建。") % {"unit": unit.path})
        return go(request, reverse("web:users"))
    buffer = io.BytesIO()
    rows = [(i.employee_no, i.name, i.unit, i.username, i.password) for i in issued]
    write_table(buffer, [gettext(h) for h in ISSUED_HEADERS], rows, fmt="xlsx", sheet_title=gettext("登录账号"))
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="logins-{stamp}.xlsx"'
    return response


@requires("users.manage")
@require_POST
@shows_refusals("web:users")
def user_reset(request, pk: int):
    user = _login(request, pk)
    password = user_reset_password(actor=request.user, user=user)
    return render(request, "web/user_password.html", {"login": user, "password": password})


@requires("users.manage")
@require_POST
@shows_refusals("web:users")
def user_active(request, pk: int):
    user = _login(request, pk)
    active = request.POST.get("active") == "1"
    user_set_active(actor=request.user, user=user, active=active)
    text = gettext("账号 %(name)s 已启用。") if active else gettext("账号 %(name)s 已停用。该账号不能再登录，已登录的也立即失效。")
    messages.success(request, text % {"name": user.username})
    return go(request, reverse("web:users"))


@requires("users.manage")
@require_http_methods(["GET", "POST"])
@shows_refusals("web:users")
def staff_user(request, pk: int | None = None):
    """Superusers: a staff login's role, data scope and track (creating one gives a one-time password)."""
    if not request.user.is_superuser:
        return render(request, "403.html", {"exception": gettext("只有系统管理员可以管理岗位人员账号")}, status=403)
    login = _login(request, pk) if pk is not None else None
    form = StaffUserForm(request.POST or None, instance=login)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data
        user, password = staff_user_save(
            actor=request.user, user=login, username=f.get("username", ""), role=f["role"], org_unit=f["org_unit"],
            track=f["track"], full_name=f["full_name"], is_superuser=f["is_superuser"],
        )
        if password:
            return render(request, "web/user_password.html", {"login": user, "password": password})
        messages.success(request, gettext("账号 %(name)s 已保存。") % {"name": user.username})
        return go(request, reverse("web:users"))
    return render(request, "web/staff_user.html", {"form": form, "login": login})


@requires()
@require_http_methods(["GET", "POST"])
def password_change(request):
    """修改密码: any login its own; a one-time password must be replaced before anything else."""
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from jinjie.core.errors import DomainError

        try:
            password_change_own(
                user=request.user, old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except DomainError as e:
            form.add_error(None, str(e))
        else:
            from django.contrib.auth import update_session_auth_hash

            request.user.refresh_from_db()
            update_session_auth_hash(request, request.user)
            messages.success(request, gettext("密码已修改，请牢记新密码。"))
            target = request.GET.get("next") or reverse("web:home")
            return go(request, target if target.startswith("/") and not target.startswith("//") else reverse("web:home"))
    return render(request, "web/password_change.html", {"form": form, "forced": request.user.must_change_password})

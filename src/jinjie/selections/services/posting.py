"""The posting (SPEC 4): HR drafts a selection for a unit — posts with places and duties, the 报名
deadline, the eligibility criteria as data, the scoring scheme — edits it while in draft,
publishes it, or stops it (终止) with a reason before the decision."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from jinjie.core.text import to_halfwidth
from jinjie.org import authority
from jinjie.org.models import OrgUnit, User
from jinjie.rules.book import RuleBookError
from jinjie.rules.selection import DEFAULT_CRITERIA, SchemeError, parse_criteria, parse_scheme

from ..models import Post, Selection, SelectionState, SelectionTransition
from ..workflow import SelectionError
from ._common import clean_text, lock, move, today

S = SelectionState
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-_]{0,19}$")
MIN_NOTICE_DAYS, MAX_NOTICE_DAYS = 5, 60  # SPEC 4: a 任前公示 runs at least 5 working days
MAX_POSTS, MAX_PLACES = 30, 99

__all__ = ["next_code", "selection_cancel", "selection_create", "selection_publish", "selection_update"]


def next_code(year: int) -> str:
    """JP2026-001, JP2026-002 …: the next free code of the year."""
    prefix = f"JP{year}-"
    taken = Selection.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(c[len(prefix):]) for c in taken if c[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def _code(code: str | None) -> str:
    if code is None or not str(code).strip():
        return next_code(today().year)
    code = to_halfwidth(str(code).strip()).upper()
    if not CODE_RE.match(code):
        raise SelectionError("竞聘编号只能由字母、数字和 - 组成，最多 20 个字符，例如 JP2026-001")
    return code


def _deadline(value) -> date:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(to_halfwidth(value.strip()))
        except ValueError:
            raise SelectionError("报名截止日期格式应为 YYYY-MM-DD") from None
    if not isinstance(value, date):
        raise SelectionError("请填写报名截止日期")
    return value


def _posts(posts: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    if not isinstance(posts, list | tuple) or not posts:
        raise SelectionError("请至少设置一个竞聘职位")
    if len(posts) > MAX_POSTS:
        raise SelectionError(f"一次竞聘最多 {MAX_POSTS} 个职位")
    out, seen = [], set()
    for i, post in enumerate(posts, start=1):
        if not isinstance(post, Mapping):
            raise SelectionError(f"第 {i} 个职位格式有误")
        title = clean_text(post.get("title"), f"第 {i} 个职位的职务名称", required=True, max_length=50)
        if title in seen:
            raise SelectionError(f"职位“{title}”重复")
        seen.add(title)
        places = post.get("places", 1)
        if isinstance(places, str) and places.strip().isdigit():
            places = int(places)
        if isinstance(places, bool) or not isinstance(places, int) or not 1 <= places <= MAX_PLACES:
            raise SelectionError(f"职位“{title}”的职数应为 1–{MAX_PLACES} 的整数")
        duties = clean_text(post.get("duties"), f"职位“{title}”的岗位职责", required=False)
        out.append({"title": title, "places": places, "duties": duties, "order": i})
    return out


def _criteria(doc) -> list:
    doc = DEFAULT_CRITERIA if doc is None else doc
    try:
        parse_criteria(doc)
    except RuleBookError as e:
        raise SelectionError(f"报名条件有误：\n{e}") from None
    return list(doc)


def _scheme(doc) -> dict:
    try:
        return parse_scheme(doc).to_doc()
    except SchemeError as e:
        raise SelectionError(str(e)) from None


def _notice_days(value) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_NOTICE_DAYS <= value <= MAX_NOTICE_DAYS:
        raise SelectionError(f"任前公示期应为 {MIN_NOTICE_DAYS}–{MAX_NOTICE_DAYS} 个工作日")
    return value


@transaction.atomic
def selection_create(
    *,
    actor: User,
    org_unit: OrgUnit,
    title: str,
    deadline: date | str,
    posts: Sequence[Mapping[str, Any]],
    code: str | None = None,
    description: str = "",
    criteria: list | None = None,
    scheme: Mapping[str, Any] | None = None,
    notice_days: int = MIN_NOTICE_DAYS,
) -> Selection:
    """Draft a selection for `org_unit` (selections.manage there). Criteria default to SPEC 4's,
    the scheme to its weights and lines; `code` to the next JP<year>-nnn."""
    if not isinstance(org_unit, OrgUnit):
        raise SelectionError("请选择组织竞聘的单位")
    authority.require(actor, "selections.manage", org_unit)
    values = dict(
        code=_code(code),
        title=clean_text(title, "竞聘名称", required=True, max_length=200),
        org_unit=org_unit,
        description=clean_text(description, "竞聘公告", required=False, max_length=10000),
        deadline=_deadline(deadline),
        criteria=_criteria(criteria),
        scheme=_scheme(scheme),
        notice_days=_notice_days(notice_days),
        created_by=actor,
    )
    post_rows = _posts(posts)
    if Selection.objects.filter(code=values["code"]).exists():
        raise SelectionError(f"竞聘编号 {values['code']} 已被使用")
    try:
        with transaction.atomic():
            selection = Selection.objects.create(**values)
    except IntegrityError:
        raise SelectionError(f"竞聘编号 {values['code']} 已被使用，请重试") from None
    Post.objects.bulk_create(Post(selection=selection, **row) for row in post_rows)
    SelectionTransition.objects.create(
        selection=selection, event="create", from_state="", to_state=S.DRAFT, actor=actor,
        note=f"起草：{'、'.join(r['title'] for r in post_rows)}",
    )
    return selection


@transaction.atomic
def selection_update(
    *,
    selection: Selection | int,
    actor: User,
    title: str | None = None,
    deadline: date | str | None = None,
    posts: Sequence[Mapping[str, Any]] | None = None,
    description: str | None = None,
    criteria: list | None = None,
    scheme: Mapping[str, Any] | None = None,
    notice_days: int | None = None,
) -> Selection:
    """Change a draft (only a draft: a published posting is what the applicants read)."""
    sel = lock(selection)
    authority.require(actor, "selections.manage", sel.org_unit)
    if sel.state != S.DRAFT:
        raise SelectionError(f"竞聘“{sel.code}”已发布，方案不能再修改")
    changed = []
    if title is not None:
        sel.title = clean_text(title, "竞聘名称", required=True, max_length=200)
        changed.append("title")
    if deadline is not None:
        sel.deadline = _deadline(deadline)
        changed.append("deadline")
    if description is not None:
        sel.description = clean_text(description, "竞聘公告", required=False, max_length=10000)
        changed.append("description")
    if criteria is not None:
        sel.criteria = _criteria(criteria)
        changed.append("criteria")
    if scheme is not None:
        sel.scheme = _scheme(scheme)
        changed.append("scheme")
    if notice_days is not None:
        sel.notice_days = _notice_days(notice_days)
        changed.append("notice_days")
    if posts is not None:
        rows = _posts(posts)
        Post.objects.filter(selection=sel).delete()  # a draft has no applications yet
        Post.objects.bulk_create(Post(selection=sel, **row) for row in rows)
        changed.append("posts")
    sel.save(update_fields=[f for f in changed if f != "posts"] + ["updated_at"])
    SelectionTransition.objects.create(
        selection=sel, event="edit", from_state=sel.state, to_state=sel.state, actor=actor,
        note="修改：" + "、".join(_FIELD_LABELS[f] for f in changed) if changed else "未修改",
    )
    return sel


_FIELD_LABELS = {
    "title": "名称", "deadline": "报名截止日期", "description": "公告", "criteria": "报名条件", "scheme": "计分办法",
    "notice_days": "公示期", "posts": "职位",
}


@transaction.atomic
def selection_publish(*, selection: Selection | int, actor: User) -> Selection:
    """Publish the posting: applications open until the deadline (inclusive)."""
    sel = lock(selection)
    authority.require(actor, "selections.manage", sel.org_unit)
    day = today()
    if sel.state == S.DRAFT and sel.deadline < day:
        raise SelectionError(f"报名截止日期 {sel.deadline} 已过，请先修改截止日期")
    if sel.state == S.DRAFT and not sel.posts.exists():
        raise SelectionError("请至少设置一个竞聘职位")
    sel.published_on = day
    move(sel, "publish", actor=actor, note=f"报名至 {sel.deadline}", fields=("published_on",))
    return sel


@transaction.atomic
def selection_cancel(*, selection: Selection | int, actor: User, reason: str) -> Selection:
    """Stop a selection before its decision (终止), with the reason; everything recorded stays."""
    sel = lock(selection)
    authority.require(actor, "selections.manage", sel.org_unit)
    reason = clean_text(reason, "终止理由", required=True)
    move(sel, "cancel", actor=actor, note=reason)
    return sel

"""竞聘上岗 pages (SPEC 4): the list, drafting a selection, its dossier (纪实) with every act of HR
and the leader, the posting as an applicant reads it (the check at the deadline, apply, withdraw),
a judge's own sheet, and the exports (ranking CSV/XLSX, the dossier's PDF and workbook).

Which selections a user sees, whose dossier they read and what a judge's sheet holds is the
selectors' to say (jinjie.selections.selectors); every act is one service call whose refusal
comes back as the page's message (@shows_refusals).
"""

from __future__ import annotations

import io
import mimetypes
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jinjie.approvals import clock
from jinjie.core.errors import DomainError, NotPermitted
from jinjie.interchange.selections import dossier_workbook, export_ranking
from jinjie.org import authority
from jinjie.org.models import Role, User
from jinjie.org.scoping import scope_employees
from jinjie.people.models import Employee
from jinjie.selections import services as sv
from jinjie.selections.attachments import path_of
from jinjie.selections.dossier_pdf import render_dossier_pdf
from jinjie.selections.eligibility import selection_criteria
from jinjie.selections.models import Review, SelectionState, Stage
from jinjie.selections.selectors import (
    applicant_view,
    attachment_for,
    dossier,
    dossier_selection,
    dossiers_for,
    judge_sheet,
    judged_by,
    selections_for,
    visible_selection,
)
from jinjie.selections.workflow import ORDER, STAGE_LABELS, SelectionError, entry_mode, index

from ..access import may, requires
from ..forms_selections import (
    ApplyForm,
    CorrectionForm,
    ExceptionForm,
    InspectionForm,
    NoticeForm,
    RecommendForm,
    RecusalForm,
    ReviewForm,
    SelectionForm,
    UserChoiceForm,
)
from ..refusals import shows_refusals
from .common import go, paginate

S = SelectionState
MAX_FIELDS = 2000  # score cells read from one post
STEPS = [s for s in ORDER if s != S.CANCELLED]


def _pk(value) -> int | None:
    return value if isinstance(value, int) and 0 < value < 2**63 else None


def _dossier_or_404(request, pk: int):
    selection = dossier_selection(request.user, _pk(pk))
    if selection is None:
        raise Http404(gettext("没有找到该竞聘，或不在您的数据范围内"))
    return selection


def _visible_or_404(request, pk: int):
    selection = visible_selection(request.user, _pk(pk))
    if selection is None:
        raise Http404(gettext("没有找到该竞聘，或不在您的数据范围内"))
    return selection


def _url(pk: int, anchor: str = "") -> str:
    return reverse("web:selection", args=[pk]) + (f"#{anchor}" if anchor else "")


def _steps(selection) -> list[dict]:
    here = selection.state
    out = []
    for state in STEPS:
        if here == S.CANCELLED:
            css = ""
        elif index(state) < index(here):
            css = "done"
        else:
            css = "current" if state == here else ""
        out.append({"label": gettext(S(state).label), "css": css})
    return out


# --- list, draft, edit ---------------------------------------------------------------------------


@requires("selections.browse")
@require_GET
def selections(request):
    user = request.user
    page = paginate(request, selections_for(user), 30)
    return render(
        request,
        "web/selections/list.html",
        {
            "page": page,
            "may_manage": may(user, "selections.manage"),
            # A reader sees the postings above their subtree too; only their subtree's have a 纪实 to open.
            "readable": {s.pk for s in page if authority.allows(user, "selections.read", s.org_unit)},
            "judging": list(judged_by(user).filter(state=S.SPEECH)[:20]),
            "today": clock.today(),
        },
    )


@requires("selections.manage")
@require_http_methods(["GET", "POST"])
def selection_new(request):
    form = SelectionForm(request.POST or None, user=request.user, initial={"org_unit": request.user.org_unit_id})
    if request.method == "POST" and form.is_valid():
        try:
            selection = sv.selection_create(actor=request.user, **form.service_values())
        except NotPermitted:
            raise
        except DomainError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, gettext("已起草竞聘 %(code)s；核对后请发布。") % {"code": selection.code})
            return go(request, _url(selection.pk))
    return render(request, "web/selections/form.html", {"form": form, "selection": None})


@requires("selections.manage")
@require_http_methods(["GET", "POST"])
def selection_edit(request, pk: int):
    selection = _dossier_or_404(request, pk)
    if selection.state != S.DRAFT:
        messages.error(request, gettext("竞聘已发布，方案不能再修改"))
        return go(request, _url(selection.pk))
    form = SelectionForm(request.POST or None, user=request.user, initial=SelectionForm.initial_for(selection))
    if request.method == "POST" and form.is_valid():
        values = form.service_values()
        values.pop("org_unit")
        values.pop("code")
        try:
            sv.selection_update(selection=selection, actor=request.user, **values)
        except NotPermitted:
            raise
        except DomainError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, gettext("竞聘方案已保存。"))
            return go(request, _url(selection.pk))
    return render(request, "web/selections/form.html", {"form": form, "selection": selection})


# --- the dossier ---------------------------------------------------------------------------------------


def _mode(selection, stage: str) -> str:
    try:
        return entry_mode(selection, stage)
    except SelectionError:
        return "closed"


def _dossier_context(request, selection) -> dict:
    user = request.user
    d = dossier(selection, user=user)
    board = d.board
    manage = authority.allows(user, "selections.manage", selection.org_unit)
    score = authority.allows(user, "selections.score", selection.org_unit)
    state = selection.state
    apps = board.applications
    confirmed = [a for a in apps if a.review == Review.CONFIRMED]
    interviewed = [a for a in confirmed if board.passed_written(a.pk)]
    judges = d.judges
    judge_ids = [j.user_id for j in judges]
    rows = []
    for row in d.rows:
        pk = row.application.pk
        marks = board.marks.get(pk, {})
        rows.append({
            "r": row, "a": row.application, "s": row.standing,
            "marks": [marks[j].score if j in marks else None for j in judge_ids],
            "written": board.written.get(pk), "ballots": board.ballots.get(pk),
            "speech_final": board.speech_final.get(pk), "democratic_final": board.democratic_final.get(pk),
            "conclusion": board.conclusion(pk),
        })
    exceptions = {x.application_id: x for x in d.exceptions}
    candidates_for_judges = []
    if manage and state in (S.DRAFT, S.PUBLISHED, S.REVIEW, S.WRITTEN, S.SPEECH):
        taken = set(judge_ids)
        candidates_for_judges = [
            u for u in User.objects.filter(is_active=True).exclude(role=Role.EMPLOYEE).select_related("org_unit").order_by("username")
            if u.pk not in taken and authority.allows(u, "selections.judge", selection.org_unit)
        ][:200]
    inspected = [a for a in confirmed if board.inspected(a.pk)]
    decide = None
    if state == S.INSPECTION and authority.allows(user, "selections.decide"):
        proposed = sv.proposed_choice(board)
        decide = [
            {
                "post": p,
                "candidates": [
                    {"a": a, "s": board.by_application[a.pk], "checked": a.pk in proposed.get(p.pk, [])}
                    for a in inspected if a.post_id == p.pk and board.conclusion(a.pk) == "合格"
                ],
            }
            for p in board.posts
        ]
    marked = {j.user_id: sum(1 for m in board.marks.values() if j.user_id in m) for j in judges}
    return {
        "sel": selection,
        "d": d,
        "board": board,
        "rows": rows,
        "steps": _steps(selection),
        "judges": judges,
        "marked": marked,
        "exceptions": exceptions,
        "manage": manage,
        "score": score,
        "today": clock.today(),
        "modes": {stage: _mode(selection, stage) for stage in STAGE_LABELS},
        "confirmed": confirmed,
        "interviewed": interviewed,
        "inspected": inspected,
        "decide": decide,
        "recommend_form": RecommendForm(posts=board.posts) if manage and state == S.PUBLISHED else None,
        "exception_form": ExceptionForm() if score and state in (S.PUBLISHED, S.REVIEW) else None,
        "review_form": ReviewForm() if score else None,
        "judge_form": UserChoiceForm(users=candidates_for_judges) if candidates_for_judges else None,
        "recusal_form": RecusalForm(judges=judges, applications=apps) if manage and judges and apps and state in (
            S.PUBLISHED, S.REVIEW, S.WRITTEN, S.SPEECH
        ) else None,
        "inspection_form": InspectionForm(candidates=inspected) if score and inspected and state == S.INSPECTION else None,
        "correction_form": CorrectionForm(applications=confirmed) if score and confirmed and state in (
            S.SPEECH, S.DEMOCRATIC, S.RANKED, S.INSPECTION
        ) else None,
        "notice_form": NoticeForm() if state == S.DECIDED and authority.allows(user, "selections.notice") else None,
        "may_decide": decide is not None,
        "after_deadline": clock.today() > selection.deadline,
    }


@requires("selections.read")
@require_GET
def selection_detail(request, pk: int):
    selection = _dossier_or_404(request, pk)
    return render(request, "web/selections/dossier.html", _dossier_context(request, selection))


# --- the acts (HR, the leader) -------------------------------------------------------------------------


def _back(request, pk: int, **kwargs) -> str:
    anchor = request.POST.get("anchor", "") if request.method == "POST" else ""
    return _url(pk, anchor if anchor.isalpha() and len(anchor) <= 20 else "")


def _cells(request, prefix: str) -> dict[int, str]:
    """{application id: value} from the fields `<prefix><id>` that were filled in."""
    out: dict[int, str] = {}
    for key, value in list(request.POST.items())[:MAX_FIELDS]:
        if key.startswith(prefix) and key[len(prefix):].isdigit() and str(value).strip():
            number = int(key[len(prefix):])
            if 0 < number < 2**63:
                out[number] = value.strip()
    return out


def _form(form) -> dict:
    if not form.is_valid():
        raise SelectionError("；".join(e for errors in form.errors.values() for e in errors))
    return form.cleaned_data


def _text(request, name: str, limit: int) -> str:
    # One character over the limit, never cut to fit: the service refuses what is too long.
    return (request.POST.get(name) or "")[: limit + 1]


def _reason(request) -> str:
    return _text(request, "reason", 2000)


def _publish(request, sel):
    sv.selection_publish(selection=sel, actor=request.user)
    return gettext("已发布竞聘公告，报名截止 %(day)s。") % {"day": sel.deadline}


def _close(request, sel):
    sv.applications_close(selection=sel, actor=request.user)
    return gettext("报名已截止，已按截止日自动核对报名条件，请逐人资格审查。")


def _cancel(request, sel):
    sv.selection_cancel(selection=sel, actor=request.user, reason=_reason(request))
    return gettext("竞聘已终止。")


def _recommend(request, sel):
    data = _form(RecommendForm(request.POST, request.FILES, posts=list(sel.posts.all())))
    employee = scope_employees(request.user, Employee.objects.all()).filter(employee_no=data["employee_no"].strip()).first()
    if employee is None:
        raise SelectionError(gettext("没有该工号的员工，或不在您的数据范围内"))
    sv.application_apply(
        selection=sel, post=data["post"], employee=employee, actor=request.user,
        exception_reason=data.get("exception_reason") or "", attachment=data.get("attachment"),
    )
    return gettext("已组织推荐 %(name)s 报名。") % {"name": employee.name}


def _exception(request, sel):
    data = _form(ExceptionForm(request.POST, request.FILES))
    sv.exception_grant(application=_own_app(sel, data["application"]), actor=request.user, reason=data["reason"],
                       attachment=data["attachment"])
    return gettext("已办理破格，附件已存档。")


def _own_app(sel, pk: int) -> int:
    if not sel.applications.filter(pk=pk).exists():
        raise SelectionError(gettext("不是本次竞聘的报名"))
    return pk


def _review(request, sel):
    data = _form(ReviewForm(request.POST))
    sv.application_review(application=_own_app(sel, data["application"]), actor=request.user,
                          confirm=data["decision"] == "confirm", reason=data.get("reason") or "")
    return gettext("资格审查结果已记录。")


def _complete(request, sel):
    stage = request.POST.get("stage")
    if stage not in ("review", "written", "speech", "democratic"):
        raise SelectionError(gettext("请选择要确认的阶段"))
    sv.stage_complete(selection=sel, actor=request.user, stage=stage)
    return gettext("%(stage)s已确认，成绩锁定；此后的修改须作为更正并说明理由。") % {"stage": gettext(STAGE_LABELS[stage])}


def _judge(request, sel):
    value = request.POST.get("user") or ""
    if not value.isdigit():
        raise SelectionError(gettext("请选择评委"))
    sv.judge_name(selection=sel, actor=request.user, user=int(value))
    return gettext("已指定评委。")


def _recusal(request, sel):
    judge, application = request.POST.get("judge") or "", request.POST.get("application") or ""
    if not (judge.isdigit() and application.isdigit()):
        raise SelectionError(gettext("请选择评委和回避对象"))
    sv.recusal_declare(selection=sel, actor=request.user, judge=int(judge), application=int(application), reason=_reason(request))
    return gettext("已登记回避。")


def _scores(stage: str) -> Callable:
    def act(request, sel):
        scores = _cells(request, "s_")
        result = sv.scores_enter(selection=sel, actor=request.user, stage=stage, scores=scores, reason=_reason(request))
        text = (
            gettext("%(stage)s成绩已录入 %(n)s 条，%(same)s 条未变。") if result.unchanged
            else gettext("%(stage)s成绩已录入 %(n)s 条。")
        )
        return text % {"stage": gettext(STAGE_LABELS[stage]), "n": result.written, "same": result.unchanged}

    return act


def _ballots(request, sel):
    ballots: dict[int, list[str]] = {}
    for i, key in enumerate(("e_", "c_", "b_", "i_")):
        for pk, value in _cells(request, key).items():
            ballots.setdefault(pk, ["0", "0", "0", "0"])[i] = value
    result = sv.ballots_enter(selection=sel, actor=request.user, ballots=ballots, reason=_reason(request))
    return gettext("民主测评票数已录入 %(n)s 人。") % {"n": result.written}


def _correction(request, sel):
    data = _form(CorrectionForm(request.POST, applications=list(sel.applications.select_related("employee", "post"))))
    sv.scores_enter(selection=sel, actor=request.user, stage=data["stage"], scores={data["application"]: data["score"]},
                    reason=data["reason"])
    return gettext("更正已记录。")


def _inspect(request, sel):
    sv.inspection_start(selection=sel, actor=request.user)
    return gettext("已确定考察人选。")


def _inspection(request, sel):
    value = request.POST.get("application") or ""
    if not value.isdigit():
        raise SelectionError(gettext("请选择考察对象"))
    date_text = request.POST.get("date") or ""
    sv.inspection_record(
        selection=sel, application=int(value), actor=request.user, inspectors=_text(request, "inspectors", 300),
        date=date_text[:11], findings=_text(request, "findings", 5000), conclusion=request.POST.get("conclusion") or "",
        reason=_reason(request),
    )
    return gettext("考察记录已保存。")


def _decide(request, sel):
    choice = {}
    for post in sel.posts.all():
        ids = [int(v) for v in request.POST.getlist(f"post_{post.pk}")[:100] if v.isdigit() and 0 < int(v) < 2**63]
        choice[post.pk] = ids
    sv.selection_decide(selection=sel, actor=request.user, choice=choice, reason=_reason(request))
    return gettext("任用决定已作出，待人事部门发布任前公示。")


def _notice(request, sel):
    notice = sv.selection_notice(selection=sel, actor=request.user, title=_text(request, "title", 200) or None)
    return gettext("已发布任前公示，公示期 %(start)s 至 %(end)s。") % {"start": notice.start_date, "end": notice.end_date}


def _settle(request, sel):
    sv.selection_settle(selection=sel, actor=request.user)
    return gettext("竞聘已办结。")


# action → (rights any of which lets the user try, the act); the service checks the rest.
ACTS: dict[str, tuple[tuple[str, ...], Callable]] = {
    "publish": (("selections.manage",), _publish),
    "close": (("selections.manage",), _close),
    "cancel": (("selections.manage",), _cancel),
    "recommend": (("selections.manage",), _recommend),
    "exception": (("selections.score",), _exception),
    "review": (("selections.score",), _review),
    "complete": (("selections.manage",), _complete),
    "judge": (("selections.manage",), _judge),
    "recusal": (("selections.manage",), _recusal),
    "written": (("selections.score",), _scores(Stage.WRITTEN)),
    "speech": (("selections.score",), _scores(Stage.SPEECH)),
    "democratic": (("selections.score",), _scores(Stage.DEMOCRATIC)),
    "ballots": (("selections.score",), _ballots),
    "correction": (("selections.score",), _correction),
    "inspect": (("selections.manage",), _inspect),
    "inspection": (("selections.score",), _inspection),
    "decide": (("selections.decide",), _decide),
    "notice": (("selections.notice",), _notice),
    "settle": (("selections.manage",), _settle),
}
ACT_RIGHTS = tuple(sorted({r for rights, _ in ACTS.values() for r in rights}))


@requires(*ACT_RIGHTS)
@require_POST
@shows_refusals(_back)
def selection_act(request, pk: int, action: str):
    if action not in ACTS:
        raise Http404(gettext("没有这个操作"))
    rights, act = ACTS[action]
    if not may(request.user, *rights):
        raise PermissionDenied(authority.explain(request.user, rights[0]) or gettext("您的角色无权执行此操作"))
    selection = _dossier_or_404(request, pk)
    messages.success(request, act(request, selection))
    return go(request, _back(request, selection.pk))


# --- applicants ------------------------------------------------------------------------------------------


@requires("selections.browse")
@require_GET
def selection_posting(request, pk: int):
    selection = _visible_or_404(request, pk)
    view = applicant_view(request.user, selection)
    posts = list(selection.posts.all())
    return render(
        request,
        "web/selections/posting.html",
        {
            "sel": selection,
            "v": view,
            "posts": posts,
            "apply_form": ApplyForm(posts=posts) if view.may_apply else None,
            "criteria": [node.describe() for node in selection_criteria(selection)],
            "may_read": dossier_selection(request.user, selection.pk) is not None,
            "is_judge": judged_by(request.user).filter(pk=selection.pk).exists(),
        },
    )


def _back_to_posting(request, pk: int) -> str:
    return reverse("web:selection_posting", args=[pk])


@requires("selections.apply")
@require_POST
@shows_refusals(_back_to_posting)
def selection_apply(request, pk: int):
    selection = _visible_or_404(request, pk)
    if not request.user.employee_id:
        raise SelectionError(gettext("您的账号未关联员工，不能报名"))
    data = _form(ApplyForm(request.POST, posts=list(selection.posts.all())))
    application = sv.application_apply(selection=selection, post=data["post"], employee=request.user.employee, actor=request.user)
    messages.success(request, gettext("已报名“%(post)s”。报名截止（%(deadline)s）前可撤回。") % {"post": application.post.title, "deadline": selection.deadline})
    return go(request, _back_to_posting(request, pk))


@requires("selections.apply")
@require_POST
@shows_refusals(_back_to_posting)
def selection_withdraw(request, pk: int):
    selection = _visible_or_404(request, pk)
    view = applicant_view(request.user, selection)
    if view.application is None:
        raise SelectionError(gettext("您没有有效的报名"))
    sv.application_withdraw(application=view.application, actor=request.user, reason=_reason(request))
    messages.success(request, gettext("已撤回报名。"))
    return go(request, _back_to_posting(request, pk))


# --- a judge's own sheet ------------------------------------------------------------------------------------


def _back_to_sheet(request, pk: int) -> str:
    return reverse("web:selection_sheet", args=[pk])


@requires("selections.judge")
@require_http_methods(["GET", "POST"])
@shows_refusals(_back_to_sheet)
def selection_sheet(request, pk: int):
    selection = judged_by(request.user).filter(pk=_pk(pk) or 0).first()
    if selection is None:
        raise Http404(gettext("没有找到该竞聘，或您不是它的评委"))
    if request.method == "POST":
        result = sv.judge_marks(selection=selection, judge=request.user, marks=_cells(request, "m_"), reason=_reason(request))
        text = gettext("评分已保存 %(n)s 条，%(same)s 条未变。") if result.unchanged else gettext("评分已保存 %(n)s 条。")
        messages.success(request, text % {"n": result.written, "same": result.unchanged})
        return go(request, _back_to_sheet(request, pk))
    sheet = judge_sheet(selection=selection, judge=request.user)
    return render(request, "web/selections/sheet.html", {"sel": selection, "sheet": sheet})


# --- files ----------------------------------------------------------------------------------------------------

EXPORTS = {
    "ranking.csv": ("text/csv; charset=utf-8", "csv"),
    "ranking.xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "dossier.xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", None),
    "dossier.pdf": ("application/pdf", None),
}


@requires("selections.read")
@require_GET
def selection_export(request, pk: int, name: str):
    if name not in EXPORTS:
        raise Http404(gettext("没有该文件"))
    selection = _dossier_or_404(request, pk)
    content_type, fmt = EXPORTS[name]
    if name == "dossier.pdf":
        body = render_dossier_pdf(dossier(selection, user=request.user, with_events=True))
    else:
        buffer = io.BytesIO()
        if name == "dossier.xlsx":
            dossier_workbook(dossier(selection, user=request.user, with_events=True), buffer)
        else:
            export_ranking(selection=selection, path=buffer, fmt=fmt)
        body = buffer.getvalue()
    response = HttpResponse(body, content_type=content_type)
    disposition = "inline" if name.endswith(".pdf") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{selection.code}-{name}"'
    return response


@requires("selections.read")
@require_GET
def selection_attachment(request, pk: int, attachment: int):
    selection = _dossier_or_404(request, pk)
    found = attachment_for(request.user, selection, _pk(attachment))
    if found is None:
        raise Http404(gettext("没有找到该附件"))
    path = path_of(found.stored_name)
    if not path.is_file():
        raise Http404(gettext("附件文件已不在存储中，请联系系统管理员"))
    extension = mimetypes.guess_extension(found.content_type) or ""
    response = FileResponse(open(path, "rb"), content_type=found.content_type, as_attachment=True,  # noqa: SIM115
                            filename=gettext("%(code)s-附件%(n)s%(ext)s") % {"code": selection.code, "n": found.pk, "ext": extension})
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- what waits on the home pages ------------------------------------------------------------------------


def home_tasks(user) -> list[dict]:
    """The 竞聘 work of a staff user for 工作台: HR's running selections, the leader's decisions,
    a judge's sheets (each only when the user has such work or holds the right)."""
    from .home import _task

    tasks = []
    if may(user, "selections.manage"):
        running = dossiers_for(user).exclude(state__in=[S.APPOINTED, S.CANCELLED])
        items = [{"text": f"{s.code} {s.title}（{s.get_state_display()}）", "url": _url(s.pk)} for s in running[:8]]
        tasks.append(_task(gettext("竞聘上岗(办理中)"), running.count(), reverse("web:selections"), "award", items))
    if may(user, "selections.decide"):
        waiting = dossiers_for(user).filter(state=S.INSPECTION)
        items = [{"text": f"{s.code} {s.title}", "url": _url(s.pk, "decide-form")} for s in waiting[:8]]
        if items:
            tasks.append(_task(gettext("待决定的竞聘"), len(items), reverse("web:selections"), "check2-circle", items))
    sheets = judged_by(user).filter(state=S.SPEECH)
    items = [{"text": f"{s.code} {s.title}", "url": reverse("web:selection_sheet", args=[s.pk])} for s in sheets[:8]]
    if items:
        tasks.append(_task(gettext("待我评分(演讲答辩)"), len(items), reverse("web:selections"), "pencil-square", items))
    return tasks

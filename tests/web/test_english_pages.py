"""Chinese first, English available: with English chosen, every page of the web application reads
in English — its title, headings, menus, table headers, labels and buttons (the chrome). Data stays
as stored: names of people and units, ranks, tracks, titles typed by users are Chinese and are not
looked at (every Chinese text the database holds counts as data).

Each role of three bureaus (the no-500 suites' worlds: 晋升 and 申报, 职业发展, 竞聘) fetches
every page it may open; the failures are listed per page and role. Every GET route of
jinjie.web.urls is either walked here or named in NOT_PAGES (files, POST-only actions), so a new
page is walked as soon as it is added."""

import re
from datetime import date
from html.parser import HTMLParser

import pytest
from bureau import make_user
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse
from selection_world import (  # noqa: F401 - fixtures
    _media,
    advance,
    draft,
    today,
    world,
)

from jinjie.approvals import clock
from jinjie.core.models import Job
from jinjie.org.models import Role

from . import test_no_500, test_no_500_development

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]+")
HAN_CHAR = re.compile(r"[\u3400-\u9fff]")

# Elements whose text is the page's chrome.
CHROME_TAGS = {"title", "h1", "h2", "h3", "h4", "h5", "h6", "nav", "button", "th", "label", "legend", "summary", "caption",
               "option"}
CHROME_CLASSES = {"btn", "breadcrumb", "card-header", "nav-link", "navbar-brand", "badge", "form-text", "jj-nav-section"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Chinese on purpose: the emblem (a logo), the language switch (it offers Chinese in Chinese) and the
# public notice itself (notice-doc: the official document, printed and posted as it is, like its PDF).
SKIP_CLASSES = {"jj-emblem", "notice-doc"}
ALLOWED = {"中文"}


class _Chrome(HTMLParser):
    """The text of the chrome elements of a page, one string per element: text belongs to the
    innermost chrome element around it (a menu's text is one string per item)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, list[str] | None]] = []  # (tag, its text when a chrome element)
        self.texts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        if tag in ("script", "style") or classes & SKIP_CLASSES:
            self.skip += 1
            self.stack.append((tag, None))
            self.stack[-1] = (tag, ["<skip>"])
            return
        chrome = tag in CHROME_TAGS or bool(classes & CHROME_CLASSES)
        self.stack.append((tag, [] if chrome else None))

    def handle_endtag(self, tag):
        if not any(t == tag for t, _ in self.stack):
            return
        while self.stack:
            t, text = self.stack.pop()
            if text == ["<skip>"]:
                self.skip -= 1
            elif text is not None:
                self._flush(text)
            if t == tag:
                break

    def handle_data(self, data):
        if self.skip:
            return
        for _, text in reversed(self.stack):
            if text is not None:
                text.append(data)
                return

    def _flush(self, text: list[str]):
        joined = " ".join(" ".join(text).split())
        if joined:
            self.texts.append(joined)

    def close(self):
        super().close()
        while self.stack:
            _, text = self.stack.pop()
            if text is not None and text != ["<skip>"]:
                self._flush(text)


def chrome_texts(html: str) -> list[str]:
    parser = _Chrome()
    parser.feed(html)
    parser.close()
    return parser.texts


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def data_strings() -> list[str]:
    """Every Chinese text the database holds, longest first: what users and imports typed, never the chrome."""
    found = set()
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField | models.JSONField)]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in row:
                for text in _strings(value):
                    if HAN_CHAR.search(text):
                        found.add(text.strip())
                        found.update(part.strip(" #*->") for part in re.split(r"[\n/|,，、]", text) if HAN_CHAR.search(part))
    return sorted((s for s in found if s), key=len, reverse=True)


def untranslated(html: str, data: list[str]) -> list[str]:
    """The chrome texts still holding Chinese once the data is taken out."""
    out = []
    for text in chrome_texts(html):
        rest = text
        for value in data:
            if value in rest:
                rest = rest.replace(value, " ")
        for word in ALLOWED:
            rest = rest.replace(word, " ")
        if HAN_CHAR.search(rest):
            out.append(text[:120])
    return out


def english_client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def walk(clients: dict, pages: dict[str, str]) -> tuple[dict, set]:
    """(failures per page: {name: {role: [texts]}}, the names no role could open)."""
    data = data_strings()
    failures: dict[str, dict] = {}
    opened = set()
    for name, url in pages.items():
        for role, client in clients.items():
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            opened.add(name)
            assert response["Content-Language"] == "en", url
            if bad := untranslated(response.content.decode(), data):
                failures.setdefault(name, {})[str(role or "anonymous")] = sorted(set(bad))
    return failures, set(pages) - opened


def report(failures: dict) -> str:
    lines = []
    for name, by_role in sorted(failures.items()):
        texts = sorted({t for ts in by_role.values() for t in ts})
        lines.append(f"{name} ({', '.join(sorted(by_role))}): " + " | ".join(texts[:40]) + (" …" if len(texts) > 40 else ""))
    return f"{len(failures)} pages still show Chinese chrome in English:\n" + "\n".join(lines)


# ---- which routes are pages -------------------------------------------------------------------------------

# Files and POST-only actions: not pages a user reads in the browser's language.
NOT_PAGES = {
    "logout", "period_submit", "queue_export", "proposals_export", "proposals_batch", "proposal_decide", "proposal_form_pdf",
    "proposal_forms_pdf", "notice_pdf", "round_close", "round_export", "application_withdraw", "application_pdf",
    "employees_export", "employee_reveal", "rulebook_publish", "rulebook_check", "users_bulk", "user_reset", "user_active",
    "import_confirm", "plan_save", "plan_gap", "plan_comment", "talks_export", "talk_ack", "talk_to_plan", "meeting_new",
    "mentorship_rate", "mentorship_end", "survey_state", "survey_results_export", "scheme_publish", "favour_draw",
    "favour_freeze", "favour_export", "objection_new", "objection_resolve", "round_apply", "application_review",
    "immediate_demotion", "qualification_correct", "reassignment_close", "whatif_export", "report_export", "selection_act", "selection_apply",
    "selection_withdraw", "selection_export", "selection_attachment", "whatif_job", "job_file", "job_export",
    "round_qualified_compute",
}

# Pages not yet in English. Each must still fail (the test says when one is done); a page not listed fails.
KNOWN_GAPS: set[str] = set()


def _routes() -> set[str]:
    return {p.name for p in get_resolver("jinjie.web.urls").url_patterns if isinstance(p, URLPattern) and p.name}


def _name(key: str) -> str:
    return key.split("[")[0]


BUREAU_ROUTES = {
    "home", "login", "career", "periods", "queue", "proposals", "proposal", "notices", "notice_new", "notice",
    "objections", "my_objections", "rounds", "round_new", "round", "round_qualified",
    "application", "employees", "employee", "reassignments", "rulebooks", "rulebook", "rulebook_edit", "rulebook_new", "users", "staff_user_new",
    "staff_user", "password_change", "imports", "job", "job_progress", "reports", "report", "whatif",
}
DEVELOPMENT_ROUTES = {
    "portal", "portal_new", "portal_standards", "portal_page", "portal_edit", "plans", "plan", "talks", "talk_new", "talk",
    "mentorships", "mentorship_new", "mentorship", "surveys", "survey_new", "survey", "survey_answer", "survey_results",
    "schemes", "scheme", "scheme_edit", "scheme_new", "favour", "favour_list",
}
SELECTION_ROUTES = {"selections", "selection_new", "selection", "selection_edit", "selection_posting", "selection_sheet"}


def test_every_route_of_the_web_application_is_walked_or_is_not_a_page():
    walked = BUREAU_ROUTES | DEVELOPMENT_ROUTES | SELECTION_ROUTES
    assert _routes() - walked - NOT_PAGES == set(), "a new route: walk it here, or name it in NOT_PAGES"
    assert (walked | NOT_PAGES) - _routes() == set()
    assert walked & NOT_PAGES == set()


def _check(failures: dict, unopened: set, pages: dict):
    real = {k: v for k, v in failures.items() if _name(k) not in KNOWN_GAPS}
    done = {_name(k) for k in pages if _name(k) in KNOWN_GAPS} - {_name(k) for k in failures}
    problems = []
    if unopened:
        problems.append(f"no role could open: {sorted(unopened)}")
    if real:
        problems.append(report(real))
    if done:
        problems.append(f"now in English, take them out of KNOWN_GAPS: {sorted(done)}")
    assert not problems, "\n".join(problems)


# ---- the worlds -------------------------------------------------------------------------------------------


def test_every_page_of_promotions_notices_and_applications_is_english(db, monkeypatch, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(clock, "today", lambda: date(2026, 10, 9))
    bureau, users = test_no_500._build()
    monkeypatch.setattr(clock, "today", lambda: date(2026, 10, 12))
    job = Job.objects.create(kind="evaluation_run", label="季度测评", args={"period": "2026Q3"}, created_by=users[Role.COMMITTEE])
    from jinjie.reports.registry import REPORTS

    def r(name, *args):
        return reverse(f"web:{name}", args=args)

    zhang, zhao = bureau["zhang"], bureau["zhao"]
    pages = {
        "home": r("home"), "login": r("login"), "career": r("career"), "periods": r("periods"), "queue": r("queue"),
        "proposals": r("proposals"), "proposal": r("proposal", zhang.pk), "proposal[zhao]": r("proposal", zhao.pk),
        "notices": r("notices"), "notice_new": r("notice_new"), "notice": r("notice", bureau["notice"].pk),
         "objections": r("objections"),
        "my_objections": r("my_objections"),
        "rounds": r("rounds"), "round_new": r("round_new"), "round": r("round", bureau["round"].pk),
         "round_qualified": r("round_qualified", bureau["round"].pk),
        "application": r("application", bureau["application"].pk),

        "employees": r("employees"), "employee": r("employee", zhang.employee_id),
        "employee[monopoly]": r("employee", bureau["monopoly_admin"].pk),


        "reassignments": r("reassignments"),
        "rulebooks": r("rulebooks"), "rulebook": r("rulebook", bureau["published"].pk),
        "rulebook[draft]": r("rulebook", bureau["draft"].pk), "rulebook_edit": r("rulebook_edit", bureau["draft"].pk),
        "rulebook_edit[json]": r("rulebook_edit", bureau["draft"].pk) + "?mode=json",
        "rulebook_new[ladder]": r("rulebook_new", "ladder"), "rulebook_new[monopoly]": r("rulebook_new", "monopoly"),
        "users": r("users"), "staff_user_new": r("staff_user_new"), "staff_user": r("staff_user", users[Role.LEADER].pk),
        "password_change": r("password_change"), "imports": r("imports"), "job": r("job", job.pk),
        "job_progress": r("job_progress", job.pk), "reports": r("reports"), "whatif": r("whatif"),
        "whatif[2026Q3]": r("whatif") + f"?book={bureau['draft'].pk}&period=2026Q3",
        **{f"report[{name}]": r("report", name) for name in REPORTS},
    }
    assert {_name(k) for k in pages} == BUREAU_ROUTES
    clients = {role: english_client(users[role] if role else None) for role in test_no_500.ROLES}
    clients["zhao"] = english_client(users["employee_zhao"])
    clients["superuser"] = english_client(make_user("root", Role.HR, bureau["city_a"], is_superuser=True))
    _check(*walk(clients, pages), pages)


def test_every_page_of_career_development_is_english(db, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2026, 10, 9))
    objects, users = test_no_500_development._build()

    def r(name, *args):
        return reverse(f"web:{name}", args=args)

    pages = {
        "portal": r("portal"), "portal_new": r("portal_new"), "portal_standards": r("portal_standards"),
        "portal_page": r("portal_page", "policy"), "portal_edit": r("portal_edit", "policy"), "plans": r("plans"),
        "plan": r("plan", objects["zhang"].pk), "talks": r("talks"), "talk_new": r("talk_new"),
        "talk": r("talk", objects["talk"].pk), "mentorships": r("mentorships"), "mentorship_new": r("mentorship_new"),
        "mentorship": r("mentorship", objects["pairing"].pk), "surveys": r("surveys"), "survey_new": r("survey_new"),
        "survey": r("survey", objects["survey"].pk), "survey_answer": r("survey_answer", objects["survey"].pk),
        "survey_results": r("survey_results", objects["survey"].pk), "schemes": r("schemes"),
        "scheme": r("scheme", objects["published"].pk), "scheme_edit": r("scheme_edit", objects["draft"].pk),
        "scheme_new": r("scheme_new", "客户经理"), "favour": r("favour"), "favour_list": r("favour_list", objects["favour"].pk),
    }
    assert {_name(k) for k in pages} == DEVELOPMENT_ROUTES
    clients = {role: english_client(users[role] if role else None) for role in test_no_500.ROLES}
    clients["mentor"] = english_client(users["sun"])
    _check(*walk(clients, pages), pages)


def test_every_page_of_selections_is_english(world, draft, advance, today):  # noqa: F811 - fixtures
    from jinjie.selections import services as sv

    second = sv.selection_create(actor=world.users["hr"], org_unit=world.tree["city_a"], title="第二批竞聘", deadline=date(2026, 6, 30),
                                 posts=[{"title": "办公室主任", "places": 1}])
    sv.selection_publish(selection=draft, actor=world.users["hr"])
    advance(draft, to="notice")

    def r(name, *args):
        return reverse(f"web:{name}", args=args)

    pages = {
        "selections": r("selections"), "selection_new": r("selection_new"), "selection": r("selection", draft.pk),
        "selection[draft]": r("selection", second.pk), "selection_edit": r("selection_edit", second.pk),
        "selection_posting": r("selection_posting", draft.pk), "selection_sheet": r("selection_sheet", draft.pk),
    }
    assert {_name(k) for k in pages} == SELECTION_ROUTES
    keys = ["hr", "leader", "director", "discipline", "committee", "assessor", "zhang", "sun", "judge1", None]
    clients = {key: english_client(world.users[key] if key else None) for key in keys}
    _check(*walk(clients, pages), pages)


def test_the_chrome_reader_finds_chinese_headings_and_leaves_data_out():
    html = "<html><head><title>晋升 · Jinjie</title></head><body><h1>My career <small>张三</small></h1>" \
           "<p>说明</p><button>提交</button><input value='x'><a class='btn btn-primary' href='/'>Save</a>" \
           "<script>var a='脚本';</script><table><tr><th>工号</th></tr></table></body></html>"
    assert chrome_texts(html) == ["晋升 · Jinjie", "My career 张三", "提交", "Save", "工号"]
    menu = "<nav><a class='nav-link'>Home</a><a class='nav-link'>我的异议</a><span class='jj-emblem'>晋</span></nav>"
    assert chrome_texts(menu) == ["Home", "我的异议"]
    assert untranslated(html, ["张三"]) == ["晋升 · Jinjie", "提交", "工号"]
    assert untranslated("<h1>Employee 张三</h1>", ["张三"]) == []


def test_a_refused_login_is_explained_in_the_chosen_language(db):
    from bureau import PASSWORD

    make_user("hr1", Role.HR)
    english = english_client().post(reverse("web:login"), {"username": "hr1", "password": PASSWORD + "x"})
    assert "Wrong username or password" in english.content.decode()
    chinese = Client().post(reverse("web:login"), {"username": "hr1", "password": PASSWORD + "x"})
    assert "用户名或密码不正确。请注意区分大小写。" in chinese.content.decode()
    assert "Wrong username" not in chinese.content.decode()

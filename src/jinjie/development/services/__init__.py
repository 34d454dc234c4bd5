"""Writes of the career-development channel (SPEC 5, 2.6): keyword-only, one transaction each, the
authority asked first, rows locked before their state is read."""

from .favour import favour_draw, favour_freeze
from .mentors import meeting_record, mentorship_create, mentorship_end, rating_submit
from .plans import plan_add_gap_actions, plan_comment, plan_save
from .portal import portal_page_save
from .surveys import survey_answer, survey_close, survey_create, survey_open
from .talks import talk_acknowledge, talk_actions_to_plan, talk_record

__all__ = [
    "favour_draw",
    "favour_freeze",
    "meeting_record",
    "mentorship_create",
    "mentorship_end",
    "plan_add_gap_actions",
    "plan_comment",
    "plan_save",
    "portal_page_save",
    "rating_submit",
    "survey_answer",
    "survey_close",
    "survey_create",
    "survey_open",
    "talk_acknowledge",
    "talk_actions_to_plan",
    "talk_record",
]

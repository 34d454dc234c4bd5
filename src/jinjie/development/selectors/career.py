"""What 我的职业发展 shows of the career-development channel: the plan, talks, pairings, surveys."""

from django.db.models import Q

from ..models import PlanVersion
from .mentors import mentorships_for
from .surveys import surveys_to_answer
from .talks import talks_for


def career_links(*, user) -> dict:
    employee_id = user.employee_id
    plan = PlanVersion.objects.filter(plan__employee_id=employee_id).order_by("-number").first()
    return {
        "plan": plan,
        "talks": talks_for(user=user, employee_id=employee_id)[:5],
        "mentorships": list(
            mentorships_for(user=user).filter(Q(mentor_id=employee_id) | Q(mentee_id=employee_id))[:10]
        ),
        "surveys": surveys_to_answer(user=user),
    }

"""Rank pay on the employee pages: approvals.pay.pay_summary, arranged for the templates."""

from jinjie.approvals.pay import pay_summary


def pay_context(employee) -> dict:
    summary = pay_summary(employee=employee)
    return {
        "pay": {"amount": summary.current} if summary.current is not None else None,
        "pay_note": summary.note,
        "pay_history": list(reversed(summary.history)),
        "pay_next": summary.pending,  # pay from a coming month, already decided
    }

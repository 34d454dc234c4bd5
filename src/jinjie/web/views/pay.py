"""Rank pay on the employee pages, from approvals.pay (SPEC 2.5)."""

from jinjie.approvals.pay import PayError, current_pay, pay_history


def pay_context(employee) -> dict:
    try:
        amount = current_pay(employee=employee)
    except PayError as e:
        return {"pay": None, "pay_note": str(e), "pay_history": []}
    try:
        history = list(reversed(pay_history(employee=employee)))
    except PayError:
        history = []
    return {"pay": {"amount": amount}, "pay_note": "", "pay_history": history}

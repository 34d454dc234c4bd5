"""Reads of the career-development channel: scoped through the one authority and org.scoping.
Pages, the API and the exports read through these only (a 保密 note never leaves them unless the
viewer may read it)."""

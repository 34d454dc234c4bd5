"""The demo bureau (`jinjie demo`): a fictional 市局 with realistic Chinese staff data and one login per role.

A plain package, not a Django app: it owns no models. `generate` is pure Python (the people and
their records from a seed), `services.demo_create` writes them, `selectors.demo_logins` reads the
login table back.
"""

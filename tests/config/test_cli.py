"""The `jinjie` entry point accepts the SPEC's hyphenated command names."""

from jinjie.config.cli import django_argv


def test_hyphenated_commands_reach_their_django_command():
    assert django_argv(["apply-due", "--date", "2026-10-08"]) == ["jinjie", "apply_due", "--date", "2026-10-08"]
    assert django_argv(["help", "check-ranks"]) == ["jinjie", "help", "check_ranks"]


def test_options_and_other_arguments_are_left_alone():
    assert django_argv(["import", "rank_history", "a-b.csv"]) == ["jinjie", "import", "rank_history", "a-b.csv"]
    assert django_argv(["--version"]) == ["jinjie", "--version"]
    assert django_argv([]) == ["jinjie"]


def test_a_database_without_tables_is_recognised():
    from jinjie.config.cli import missing_table

    assert missing_table(Exception("no such table: people_employee"))
    assert missing_table(Exception('relation "people_employee" does not exist'))
    assert not missing_table(Exception("database is locked"))

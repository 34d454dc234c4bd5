from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "jinjie.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from .append_only import install_append_only_triggers

        # After every migrate (tests included): Django's SQLite schema editor rebuilds a table to
        # alter it and silently drops its triggers, so they are (re)installed each time.
        post_migrate.connect(install_append_only_triggers, dispatch_uid="jinjie-append-only")


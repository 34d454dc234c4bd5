from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "jinjie.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from .append_only import install_append_only_triggers

        # After every migrate (tests included): Django's SQLite schema editor rebuilds a table to
        # alter it and silently drops its triggers, so they are (re)installed each time. Once per
        # migrate, not once per app: post_migrate is sent for every installed app (16), each time
        # after all the migrations ran, and one installation covers every history table — 16 of
        # them re-created the same triggers, about 2,000 DDL statements after each migrate or flush.
        post_migrate.connect(install_append_only_triggers, sender=self, dispatch_uid="jinjie-append-only")


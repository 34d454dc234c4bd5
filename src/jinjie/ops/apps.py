from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running an installation: `jinjie init` (schema, defaults, triggers), the background worker,
    backups, the production server, and the other commands an IT office needs. It sits on top of
    every domain app, so core stays below them."""

    name = "jinjie.ops"
    label = "ops"
    verbose_name = "运行维护"

    def ready(self) -> None:
        from . import job_kinds  # noqa: F401 - registers the kinds of background job

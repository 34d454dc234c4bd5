from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "jinjie.evaluations"
    label = "evaluations"
    verbose_name = "季度测评"

    def ready(self) -> None:
        from jinjie.rulebooks.services import register_publication_guard

        from .guards import evaluated_periods_guard

        register_publication_guard(evaluated_periods_guard)

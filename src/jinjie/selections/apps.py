from django.apps import AppConfig


class SelectionsConfig(AppConfig):
    name = "jinjie.selections"
    label = "selections"
    verbose_name = "竞聘上岗"

    def ready(self) -> None:
        # The management channel travels the one workflow (approvals.channels): its notices are
        # published by HR, objections ruled on by the committee, and taking effect writes the post.
        from . import channel

        channel.register()

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "jinjie.people"
    label = "people"
    verbose_name = "员工档案"

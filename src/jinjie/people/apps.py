from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "jinjie.people"
    label = "people"

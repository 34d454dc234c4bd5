"""The task queue's tables (django-tasks' database backend), named in Chinese in the admin.

Its own module: an apps.py with two AppConfig classes would leave Django unable to pick the core
app's (and its ready(), which installs the append-only triggers).
"""

from django_tasks_db.apps import TasksAppConfig


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = "后台任务队列"

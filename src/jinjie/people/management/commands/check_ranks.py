from django.core.management.base import BaseCommand, CommandError

from jinjie.people.selectors import rank_mismatches


class Command(BaseCommand):
    help = "核对每位员工的当前职级与职级变动历史的最后一条是否一致"

    def handle(self, *args, **options):
        bad = list(rank_mismatches().values_list("employee_no", "name", "current_rank", "history_rank")[:1000])
        for no, name, current, history in bad:
            self.stdout.write(f"{no} {name}: 当前职级 {current}，历史记录为 {history}")
        if bad:
            raise CommandError(f"{len(bad)} 名员工的当前职级与职级变动历史不一致")
        self.stdout.write(self.style.SUCCESS("所有员工的当前职级与职级变动历史一致"))

"""`jinjie export KIND -o FILE.csv|.xlsx` (SPEC 7): the stored data of a SPEC 6 kind, the
proposals / qualification checks that the evaluations app writes, a round's applications, a favour
list or a selection's ranking."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from jinjie.core.errors import DomainError
from jinjie.interchange import exports
from jinjie.interchange.applications_export import export_applications
from jinjie.interchange.kinds import KINDS
from jinjie.interchange.selections import export_ranking
from jinjie.interchange.services import export_kind
from jinjie.interchange.writers import ExportFormatError, table_format

EVALUATION_KINDS = ("proposals", "applications", "favour", "ranking")


class Command(BaseCommand):
    help = (
        "导出数据：第 6 节各类数据（可编辑后再导入）、测评结果(proposals)、专卖管理员资格审核(qualifications --level)、"
        "专卖管理员等级申报(applications --round)"
        "竞聘排名(ranking --selection 编号)"
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", help=f"数据类别：{'、'.join([*KINDS, *EVALUATION_KINDS])}")
        parser.add_argument("-o", "--output", required=True, metavar="FILE", help="输出文件 .csv 或 .xlsx")
        parser.add_argument("--period", help="测评期，如 2026Q3（proposals）")
        parser.add_argument("--org", help="单位路径，如 省公司/市局（proposals，可选）")
        parser.add_argument("--level", help="专卖管理员等级（qualifications 资格审核）")
        parser.add_argument("--as-of", dest="as_of", help="审核日期 YYYY-MM-DD（qualifications，默认今天）")
        parser.add_argument("--year", help="年度，如 2026（favour）")
        # `kind` is the positional argument already: the favour list's kind needs another name.
        parser.add_argument("--kind", dest="favour_kind", help="名单类别：评先、外派学习、推荐干部（favour）")

        parser.add_argument(
            "--reveal-id-numbers", action="store_true",
            help="（employees）导出完整身份证号：须用 --as 指明有权查看的人事劳资账号，每人记入查看记录；默认脱敏",
        )
        parser.add_argument("--as", dest="as_user", metavar="USERNAME", help="以该账号的权限与数据范围导出")

        parser.add_argument("--round", dest="round_id", help="申报批次编号（applications）")
        parser.add_argument("--selection", help="竞聘编号，如 JP2026-001（ranking）")

    def handle(
        self, *args, kind, output, period, org, level, as_of, reveal_id_numbers, as_user, round_id=None, year=None,
        favour_kind=None, selection=None, **options,
    ):
        try:
            table_format(output)
        except ExportFormatError as exc:
            raise CommandError(str(exc)) from None
        if kind == "proposals":
            count = self._proposals(output, period, org)
        elif kind == "applications":
            count = self._applications(output, round_id)
        elif kind == "favour":
            if not year or not favour_kind:
                raise CommandError("导出名单须指定 --year 和 --kind，如 --year 2026 --kind 评先")
            count = _refusals_as_errors(exports.export_favour, year=year, kind=favour_kind, path=output, org=org or None)
        elif kind == "ranking":
            if not selection:
                raise CommandError("导出竞聘排名须指定 --selection，如 --selection JP2026-001")
            count = _refusals_as_errors(export_ranking, selection=selection, path=output)
        elif kind == "qualifications" and level:
            count = self._qualification_check(output, level, as_of)
        elif kind in KINDS:
            count = _refusals_as_errors(
                export_kind, kind=kind, path=output, actor=_user_named(as_user),
                reveal_id_numbers=reveal_id_numbers, purpose="命令行导出员工数据",
            )
        else:
            raise CommandError(f"未知的数据类别「{kind}」，应为：{'、'.join([*KINDS, *EVALUATION_KINDS])}")
        if count is None:
            self.stdout.write(f"已导出到 {output}")
        else:
            self.stdout.write(f"已导出 {count} 行到 {output}")

    def _proposals(self, output: str, period: str | None, org: str | None):
        if not period:
            raise CommandError("导出测评结果须指定 --period，如 --period 2026Q3")
        return _refusals_as_errors(exports.export_proposals, period=period, path=output, org=org or None)

    def _applications(self, output: str, round_id: str | None):
        if not round_id:
            raise CommandError("导出专卖管理员等级申报须指定 --round，如 --round 3（批次编号见“申报批次”页面）")
        if not round_id.isdigit() or len(round_id) > 18:
            raise CommandError(f"批次编号应为数字，收到 {round_id!r}")
        return _refusals_as_errors(export_applications, round=int(round_id), path=output)

    def _qualification_check(self, output: str, level: str, as_of: str | None):
        check_date = None
        if as_of:
            try:
                check_date = date.fromisoformat(as_of)
            except ValueError:
                raise CommandError("--as-of 日期格式应为 YYYY-MM-DD") from None
        return _refusals_as_errors(exports.export_qualifications, level=level, as_of=check_date, path=output)


def _refusals_as_errors(function, **arguments):
    try:
        return function(**arguments)
    except DomainError as exc:
        raise CommandError(str(exc)) from None


def _user_named(username: str | None):
    if not username:
        return None
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"没有找到启用的账号「{username}」")
    return user

"""Pages of every API list: DRF's PageNumberPagination, taking only what the schema says, a page number.

DRF would also read `?page=last`, an empty `?page=` (as 1) and anything int() reads (" 2", "+2",
"٢"); the schema promises an integer from 1, so anything else is the same 404 as a page past the end.
"""

from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination

INVALID_PAGE = "页码无效：应为从 1 开始的整数"


class Pages(PageNumberPagination):
    last_page_strings = ()

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        if not (raw.isascii() and raw.isdigit()):
            raise NotFound(INVALID_PAGE)
        return raw

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["description"] = "页码(从 1 开始；超出范围为 404)"
                parameter["schema"] = {**parameter["schema"], "minimum": 1}
        return parameters

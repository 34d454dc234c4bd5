"""/healthz for the load balancer: no login, one query, plain text.

200 "ok" when the database answers; 503 with the reason in Chinese when it does not, so that the
balancer takes this app server out until it does. Nothing else is checked: the page must stay
cheap enough to be asked every few seconds by every balancer.
"""

import logging

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger("jinjie.health")


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as e:
        logger.error("健康检查：数据库无法连接：%s", e)
        return HttpResponse("数据库无法连接", status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")

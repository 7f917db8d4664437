"""Background task: the resumable SHU distribution (django-tasks, database backend)."""

import datetime as dt

from django.contrib.auth import get_user_model
from django_tasks import task

from kopdig.tenancy.models import Cooperative

from .actions import shu_distribute


@task()
def shu_distribute_task(slug: str, year: int, user_id: int, method: str, date: str) -> dict:
    coop = Cooperative.objects.get(slug=slug)
    user = get_user_model().objects.get(pk=user_id)
    sy = shu_distribute(
        actor=user, cooperative=coop, year=year, method=method, date=dt.date.fromisoformat(date)
    )
    return {"status": sy.status, "done": sy.distribute_done, "total": sy.distribute_total}

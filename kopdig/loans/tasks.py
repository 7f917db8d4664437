"""Background task: the resumable arrears run (django-tasks, database backend)."""

import datetime as dt

from django.contrib.auth import get_user_model
from django_tasks import task

from kopdig.tenancy.access import SYSTEM
from kopdig.tenancy.models import Cooperative

from .arrears import arrears_run


@task()
def arrears_run_task(slug: str, date: str, user_id: int | None = None) -> dict:
    coop = Cooperative.objects.get(slug=slug)
    user = get_user_model().objects.get(pk=user_id) if user_id else SYSTEM
    run = arrears_run(actor=user, cooperative=coop, date=dt.date.fromisoformat(date))
    return {"status": run.status, "processed": run.processed, "total": run.total}

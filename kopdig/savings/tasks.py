"""Background task: a monthly savings run (django-tasks, database backend)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from kopdig.tenancy.access import SYSTEM

from .models import Run
from .runs import execute


@task()
def savings_run_task(run_id: int, user_id: int | None = None) -> dict:
    """Execute (or resume) a claimed run; the run row stores status and progress for the page."""
    run = Run.objects.select_related("cooperative").get(pk=run_id)
    actor = get_user_model().objects.filter(pk=user_id).first() if user_id else SYSTEM
    run = execute(run, actor=actor)
    return {"run": run.pk, "status": run.status, "done": run.done, "total": run.total}

"""The one background task: run a job (``runner.run``). Its argument is the job's id, so
what the worker reads is the job row, never arguments a user could shape."""

from django_tasks import task

from . import runner


@task()
def run_job(job_id: int) -> str:
    return runner.run(job_id)

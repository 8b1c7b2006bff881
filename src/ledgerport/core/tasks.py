from celery import shared_task


@shared_task(ignore_result=False)
def ping() -> str:
    """A liveness probe for the worker and broker."""
    return "pong"

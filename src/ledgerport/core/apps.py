from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Cross-cutting pieces: the Celery binding, the console command, process supervision."""

    name = "ledgerport.core"
    label = "core"

    def ready(self) -> None:
        # Binding the Celery app here makes @shared_task use it in web and worker alike.
        from .celery_app import app  # noqa: F401

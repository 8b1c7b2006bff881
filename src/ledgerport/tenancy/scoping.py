"""The one scoping mechanism every tenant query goes through (deny by default).

Each tenant model uses `ScopedQuerySet` and names its path to `Company` in
`scope_company_path` ("" for Company itself, "company" for a direct foreign key,
"voucher__fiscal_year__company" for deeper rows). `Model.objects.for_user(user, action)`
then keeps only rows of companies the user may act on:

- a firm member with a role allowing `action` sees every company of that firm;
- a client user with a company role allowing `action` sees that company only;
- anyone else, the anonymous user included, sees nothing. There is no bypass for staff.
- a deleted (marked) company is seen by nobody; its rows stay for the retention period.

Visible companies are computed as an id subquery, so the filter composes with any other
query without duplicate rows from membership joins.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Self

from django.db import models
from django.db.models import Q

from . import roles

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ledgerport.identity.models import User


def visible_company_ids(
    companies: type[models.Model], user: User | AnonymousUser, action: str = "view"
) -> models.QuerySet[Any]:
    """The ids of the companies `user` may perform `action` on, as a subquery.

    `companies` is the Company model, passed in (or reached along a scope path) so that this
    module, which the models build on, imports none of them."""
    if action not in roles.ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    if not user.is_authenticated or not user.is_active:
        return companies._default_manager.none().values("pk")
    return companies._default_manager.filter(
        Q(deleted_at__isnull=True),
        Q(
            firm__memberships__user=user,
            firm__memberships__role__in=roles.firm_roles_for(action),
        )
        | Q(memberships__user=user, memberships__role__in=roles.company_roles_for(action)),
    ).values("pk")


def _company_model(model: type[models.Model]) -> type[models.Model]:
    """Company, found by following a tenant model's `scope_company_path`."""
    for name in filter(None, model.scope_company_path.split("__")):  # type: ignore[attr-defined]
        related = model._meta.get_field(name).related_model
        assert isinstance(related, type), f"{model.__name__}.{name} is not a relation"
        model = related
    return model


class ScopedQuerySet(models.QuerySet[Any]):
    def for_user(self, user: User | AnonymousUser, action: str = "view") -> Self:
        path: str = self.model.scope_company_path
        lookup = f"{path}__in" if path else "pk__in"
        return self.filter(**{lookup: visible_company_ids(_company_model(self.model), user, action)})


class TenantModel(models.Model):
    """Abstract base for every model that belongs to a company."""

    scope_company_path: ClassVar[str] = "company"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True

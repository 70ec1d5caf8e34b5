"""Records staff may read in the admin but nobody may write there: logs and tallies that
only the site itself writes (the read log, export log, self-check tallies)."""

from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """Mixed into a ModelAdmin: no add, change or delete for anyone, superusers included.

    Who may read stays with the ModelAdmin and the groups' view permissions.
    """

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

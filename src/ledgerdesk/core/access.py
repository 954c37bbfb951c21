"""Who may see what. Staff pages call `console_view`; party scoping lives on querysets."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def console_view(view=None, *, perm: str = "core.use_console"):
    """A page of the agent console: signed in, and holding `perm` (403 otherwise)."""

    def decorate(func):
        @wraps(func)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perm("core.use_console") or not request.user.has_perm(perm):
                raise PermissionDenied
            return func(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate

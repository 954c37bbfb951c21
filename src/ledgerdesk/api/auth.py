from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from ledgerdesk.core.models import ApiToken


def _staff(user) -> bool:
    return user.is_active and user.has_perm("core.use_console")


class TokenAuth(HttpBearer):
    """`Authorization: Bearer ld_…` for integrations; only the key's hash is stored."""

    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(token)).first()
        )
        if found is None or not _staff(found.user):
            return None
        # Refresh at most once a minute so a busy integration does not write on every call.
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


class SessionAuth(APIKeyCookie):
    """The browser's session, with Django's CSRF check on unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and _staff(user):
            return user
        return None

from ledgerdesk.core.audit import acting_for_request


class AuditActorMiddleware:
    """Attributes every change made while serving a request to its signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_for_request(request):
            return self.get_response(request)

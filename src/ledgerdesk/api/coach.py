"""`POST /api/v1/coach/review`: the reply coach for integrations and the composer."""

from typing import Any

from ninja import Router, Schema
from ninja.errors import HttpError

from ledgerdesk.coach import ContextError, review

router = Router(tags=["coach"])


class ReviewIn(Schema):
    text: str
    context: dict[str, Any] = {}


@router.post("/review")
def review_reply(request, payload: ReviewIn) -> dict:
    try:
        return review(payload.text, payload.context).to_dict()
    except ContextError as exc:
        raise HttpError(422, f"context: {exc}") from None

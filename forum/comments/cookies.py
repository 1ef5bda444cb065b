"""What a guest's browser remembers: their name and email if asked, and which comments are theirs.

Both cookies are signed, so a reader cannot claim someone else's comment by editing one.
"""

import json

from django.conf import settings

COMMENTER = "commenter"
OWN_COMMENTS = "my_comments"
SALT = "comments.cookies"
YEAR = 365 * 24 * 3600
KEEP_OWN = 50  # the most recent comments a browser can edit or delete


def _set(response, name: str, value: str) -> None:
    response.set_signed_cookie(
        name,
        value,
        salt=SALT,
        max_age=YEAR,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _get(request, name: str) -> str:
    return request.get_signed_cookie(name, default="", salt=SALT, max_age=YEAR)


def remembered_commenter(request) -> dict:
    """The name, email and website saved by "Remember me in this browser", if any."""
    try:
        data = json.loads(_get(request, COMMENTER) or "{}")
    except ValueError:
        return {}
    return {key: str(data.get(key, "")) for key in ("name", "email", "website") if key in data}


def remember_commenter(response, *, name: str, email: str, website: str) -> None:
    _set(response, COMMENTER, json.dumps({"name": name, "email": email, "website": website}))


def forget_commenter(response) -> None:
    response.delete_cookie(COMMENTER)


def _own_pairs(request) -> list[tuple[int, int]]:
    pairs = []
    for item in _get(request, OWN_COMMENTS).split():
        article_id, _, comment_id = item.partition(".")
        if article_id.isdigit() and comment_id.isdigit():
            pairs.append((int(article_id), int(comment_id)))
    return pairs


def own_comment_ids(request, *, article_id: int | None = None) -> frozenset[int]:
    """The guest comments this browser posted (on one article, if given)."""
    return frozenset(c for a, c in _own_pairs(request) if article_id in (None, a))


def remember_own_comment(request, response, comment) -> None:
    pairs = [p for p in _own_pairs(request) if p[1] != comment.pk]
    pairs.append((comment.article_id, comment.pk))
    _set(response, OWN_COMMENTS, " ".join(f"{a}.{c}" for a, c in pairs[-KEEP_OWN:]))

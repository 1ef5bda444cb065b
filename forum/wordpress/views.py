from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_safe

from .models import ImportedItem


@require_safe
def comment(request, key: str):
    """`#comment-N` from an old WordPress link, N being WordPress's id: on to the comment it
    became, through the comments app's permalink (which finds its page, or says it is no longer
    shown). The article page's script sends the reader here (`?article=` names that page)."""
    article = request.GET.get("article", "")
    found = ImportedItem.objects.filter(kind=ImportedItem.Kind.COMMENT, key=str(key))
    if article.isdigit() and int(article) < 2**31:
        found = found.filter(comment__article_id=int(article))
    item = found.latest_first().only("comment_id").first()
    pk = item.comment_id if item is not None and item.comment_id else 0
    address = reverse("comments:permalink", args=[pk])
    return redirect(f"{address}?article={article}" if article.isdigit() else address)

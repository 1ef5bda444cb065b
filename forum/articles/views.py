from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from forum.comments.discussion import discussion_context
from forum.donations.meter import counts_reading

from .models import Article, Author, Category, Tag

PER_PAGE = 12


def _page(request, queryset):
    """One page of a listing; a malformed or out-of-range ?page= gives the nearest page."""
    number = request.GET.get("page", "")
    if number.lstrip("-").isdigit() and int(number) < 1:
        number = 1  # get_page() would send zero and negative numbers to the last page
    return Paginator(queryset, PER_PAGE).get_page(number)


@require_safe
def home(request):
    page = _page(request, Article.objects.listed().for_listing())
    return render(request, "articles/home.html", {"page": page})


@require_safe
def category(request, path):
    category = get_object_or_404(Category, path=path.strip("/"))
    articles = Article.objects.listed().for_listing().filter(category__in=category.descendant_ids())
    return render(
        request,
        "articles/category.html",
        {
            "category": category,
            "subcategories": category.children.all(),
            "page": _page(request, articles),
        },
    )


@require_safe
def tag(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    page = _page(request, Article.objects.listed().for_listing().filter(tags=tag))
    return render(request, "articles/tag.html", {"tag": tag, "page": page})


@require_safe
def author(request, slug):
    author = get_object_or_404(Author, slug=slug)
    page = _page(request, Article.objects.listed().for_listing().filter(author=author))
    return render(request, "articles/author.html", {"author": author, "page": page})


@counts_reading
@require_safe
def detail(request, slug):
    article = get_object_or_404(
        Article.objects.visible_to(request.user).for_reading(),
        slug=slug,
    )
    return render_article(request, article)


def render_article(request, article, *, comment_form=None):
    """The article page; the comments app calls it to show a comment form with errors."""
    related = [
        link
        for link in article.related_links.all()
        if link.is_external or link.target.is_published or request.user.is_staff
    ]
    return render(
        request,
        "articles/detail.html",
        {
            "article": article,
            "related": related,
            "json_ld": _structured_data(request, article),
            **discussion_context(request, article, form=comment_form),
        },
    )


def _structured_data(request, article) -> dict:
    """schema.org NewsArticle for search engines and link previews."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.standfirst,
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "mainEntityOfPage": request.build_absolute_uri(article.get_absolute_url()),
        "articleSection": article.category.name,
        "keywords": [tag.name for tag in article.tags.all()],
        "author": {
            "@type": "Person",
            "name": article.author.name,
            "url": request.build_absolute_uri(article.author.get_absolute_url()),
        },
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME},
    }
    if article.hero_image:
        data["image"] = request.build_absolute_uri(article.hero_image.url)
    return data

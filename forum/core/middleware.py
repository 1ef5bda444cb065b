"""Compressing responses: text, not pictures."""

from django.middleware.gzip import GZipMiddleware


class TextGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware for text only (pages, feeds, JSON, the sitemap).

    Pictures (JPEG, WebP, PNG) are compressed already: gzipping an upload that Django serves
    itself (SERVE_MEDIA) cost CPU for nothing, and dropped its Content-Length."""

    COMPRESSIBLE = ("text/", "application/json", "application/xml", "application/rss+xml")

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "")
        if not content_type.startswith(self.COMPRESSIBLE):
            return response
        return super().process_response(request, response)

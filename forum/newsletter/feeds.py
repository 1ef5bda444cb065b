from django.contrib.syndication.views import Feed


class IssueFeed(Feed):
    title = "coming"
    link = "/newsletter/archive/"

    def items(self):
        return []

from django.urls import reverse

from guichet.core.registries.pages import Page, exempt_url, register

register(Page("my-data", lambda: reverse("privacy:my_data"), ("member",), ("privacy:my_data",)))
register(Page("erase", lambda: reverse("privacy:erase"), ("member",), ("privacy:erase",)))
exempt_url("privacy:export", "A JSON file download, not a page.")

from django.conf import settings


def site_url(path: str) -> str:
    """A link for an e-mail: the page behind sign-in, never its content."""
    return getattr(settings, "PORTCULLIS_BASE_URL", "") + path

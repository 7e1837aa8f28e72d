import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portcullis.settings")
application = get_wsgi_application()

# Open the screening index now (mapped from disk, built once per list version), not on the first
# screening.
from portcullis.screening.live import open_in_background  # noqa: E402

open_in_background()

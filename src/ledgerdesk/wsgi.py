import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledgerdesk.settings")
application = get_wsgi_application()

# Everything imported at start-up lives as long as the process: move it out of the
# garbage collector's sight so full collections (the p95 spikes in bench/desk.py) stay short.
gc.freeze()

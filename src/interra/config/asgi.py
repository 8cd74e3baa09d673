"""The ASGI entry point, `interra.config.asgi:application`, for an ASGI server (from any
directory: the project is an installed package).

Without DJANGO_SETTINGS_MODULE a server runs the production settings, which refuse to
start until the environment is complete (see docs/deployment.md); a development server
says so explicitly (`make dev`, manage.py).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interra.config.settings.prod")

application = get_asgi_application()

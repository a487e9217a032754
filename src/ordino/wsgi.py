import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ordino.settings")
application = get_wsgi_application()

from ordino.console.safety import secret_key_require  # noqa: E402  (needs the settings)

secret_key_require()  # refuse to serve on the public development key

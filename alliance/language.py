"""Which language a request is answered in.

Pages are Chinese, whatever the browser says, until the person picks English with the
language switch (a cookie). API clients negotiate with Accept-Language as HTTP intends, so an
integration can ask for English error messages.
"""

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.db.models.functions import Collate
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_noop

# Django's Chinese catalogue keeps the ASCII colon its forms put after each label ("用户名:").
# Naming the msgid here puts it in the project's catalogue, which Django consults first, with
# the full-width colon.
gettext_noop(":")


def in_pinyin_order(field: str) -> Collate | F:
    """An order by a Chinese name as a Chinese reader looks it up: 阿, 李, 王, 张 (pinyin), with
    PostgreSQL's ICU collation. SQLite has none: there, by code point (the demo's database)."""
    if connection.vendor == "postgresql":
        return Collate(field, "zh-Hans-x-icu")
    return F(field)


def recorded(message: Promise, **values: str) -> str:
    """A sentence the platform writes into a record (an event's note, a reason for cancelling),
    in the site's language: everyone reads the stored text as it is, whichever language the
    person whose action wrote it had chosen."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(message) % values


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            super().process_request(request)
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = translation.get_supported_language_variant(chosen or "")
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

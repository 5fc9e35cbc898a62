# The production image: gunicorn for the web, the same image runs the Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# A PyPI mirror, e.g. one reachable from mainland China: PIP_INDEX_URL in .env (docker compose
# passes it as a build argument). Unset or empty: PyPI.
ARG PIP_INDEX_URL
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Static files are collected at build time and served by WhiteNoise.
RUN DEBUG=false SECRET_KEY=collectstatic-at-build-time-only-never-used-to-sign-anything \
    python manage.py collectstatic --noinput -v0

RUN useradd --create-home --uid 1000 app && mkdir -p /data/private && chown -R app /app /data/private
USER app

EXPOSE 8000
CMD ["gunicorn", "alliance.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]

# The programme bot. Build and run (README "Docker"):
#
#   docker build -t programme-bot .
#   docker run -e TELEGRAM_BOT_TOKEN=... -v $PWD/kb/articles:/app/kb/articles -v botvar:/app/var programme-bot
#
# Needs BuildKit (Docker 23+, or DOCKER_BUILDKIT=1) or podman/buildah, for RUN --mount. Optional:
#   --build-arg PYTHON_IMAGE=...            base image with python3 (3.11+) and venv (default below)
#   --build-arg PIP_INDEX_URL=https://...   another package index (PIP_EXTRA_INDEX_URL, PIP_TRUSTED_HOST too);
#                                           no passwords here: build arguments stay in the image history
#   --secret id=pipconf,src=pip.conf        a pip configuration file, used only while installing (an index
#                                           with credentials, proxy, timeouts ...); never stored in the image
#   --secret id=cacert,src=ca.pem           a CA bundle for pip (a private index or a TLS-inspecting proxy)
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
FROM ${PYTHON_IMAGE}

# tini as PID 1 passes SIGTERM on to the start-up rebuild and to the bot, and reaps /reload's children
RUN if ! command -v tini >/dev/null; then \
      apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*; \
    fi \
 && useradd --create-home --uid 10001 bot \
 && mkdir -p /home/bot/.cache && chown bot:bot /home/bot/.cache

ENV VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    JIEBA_CACHE=/home/bot/.cache/jieba.cache

# 1. Dependencies, exactly the locked versions and hashes (`make lock` writes requirements.lock). Only the
#    lock is copied here, so this layer is rebuilt only when the lock changes, not when the code does.
ARG PIP_INDEX_URL=""
ARG PIP_EXTRA_INDEX_URL=""
ARG PIP_TRUSTED_HOST=""
COPY requirements.lock /tmp/requirements.lock
RUN --mount=type=secret,id=pipconf --mount=type=secret,id=cacert \
    set -e; \
    [ -n "$PIP_INDEX_URL" ] || unset PIP_INDEX_URL; \
    [ -n "$PIP_EXTRA_INDEX_URL" ] || unset PIP_EXTRA_INDEX_URL; \
    [ -n "$PIP_TRUSTED_HOST" ] || unset PIP_TRUSTED_HOST; \
    if [ -s /run/secrets/pipconf ]; then export PIP_CONFIG_FILE=/run/secrets/pipconf; fi; \
    if [ -s /run/secrets/cacert ]; then export PIP_CERT=/run/secrets/cacert; fi; \
    python3 -m venv "$VIRTUAL_ENV"; \
    pip install --quiet --require-hashes -r /tmp/requirements.lock; \
    rm /tmp/requirements.lock

# 2. The code, run from /app (not installed as a package), owned by root and read-only for the bot; the
#    bot's user may write only kb/ (the fact base and its rebuilds) and var/ (the question log).
WORKDIR /app
COPY bot bot
COPY engine engine
COPY intents intents
COPY kb kb
COPY scripts scripts
COPY training training
RUN python -m compileall -q bot engine intents kb scripts \
 && mkdir -p var && chown bot:bot kb var
USER bot
# the fact base is built into the image (as the bot's user, so jieba's cache in JIEBA_CACHE is its own)
RUN python scripts/build_kb.py

# Mount the articles on /app/kb/articles and a volume on /app/var (the question log); nothing is mounted
# unless asked. The token comes from the environment only: docker run -e TELEGRAM_BOT_TOKEN=...
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["python", "scripts/healthcheck.py"]
ENTRYPOINT ["tini", "-g", "--"]
# at start the fact base is rebuilt from the (possibly mounted) articles; if that fails the built-in one
# serves; then the shell is replaced by the bot (exec), which tini signals directly
CMD ["sh", "-c", "python scripts/build_kb.py; exec python -m bot"]

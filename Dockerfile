FROM python:3.11-slim
WORKDIR /app
RUN useradd --create-home bot
COPY pyproject.toml README.md ./
COPY bot bot
COPY engine engine
COPY intents intents
COPY kb kb
COPY scripts scripts
# the fact base is built into the image; the question log lives in /app/var
RUN pip install --no-cache-dir . && python scripts/build_kb.py && mkdir -p var && chown -R bot /app
USER bot
VOLUME ["/app/kb/articles", "/app/var"]
# the token comes from the environment only: docker run -e TELEGRAM_BOT_TOKEN=...
# at start the fact base is rebuilt from the (possibly mounted) articles; if that fails the built-in one serves
CMD ["sh", "-c", "python scripts/build_kb.py; exec python -m bot"]

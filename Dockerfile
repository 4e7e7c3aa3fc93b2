FROM python:3.11-slim
WORKDIR /app
RUN useradd --create-home bot
COPY pyproject.toml README.md ./
COPY bot bot
COPY engine engine
COPY intents intents
COPY kb kb
COPY scripts scripts
RUN pip install --no-cache-dir . && python scripts/build_kb.py && mkdir -p var && chown -R bot /app
USER bot
VOLUME ["/app/kb/articles", "/app/var"]
# the token comes from the environment only: docker run -e TELEGRAM_BOT_TOKEN=...
CMD ["python", "-m", "bot"]

# The image deploy/kubernetes.yaml runs (credit-assistant:latest): the action server,
# the Rasa server, the gateway and the migration job all start from it with their own
# command. Build: make image  (docker build -t credit-assistant:latest .)
# Checked by hadolint in `make lint`.

# --- the chat widget and kiosk bundles (bot/web/dist), built with npm ------------------
FROM node:20-bookworm-slim AS web
WORKDIR /web
COPY bot/web/package.json bot/web/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY bot/web/ ./
RUN node build.mjs

# --- the assistant ------------------------------------------------------------------------
FROM python:3.10-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SQLALCHEMY_SILENCE_UBER_WARNING=1 \
    TF_CPP_MIN_LOG_LEVEL=2
WORKDIR /app

# espeak-ng: the kiosk's English and fallback voice; the CJK font is embedded in the PDF reports.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends espeak-ng fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first (a layer that changes only with the requirement files), as scripts/setup.sh.
COPY requirements.txt constraints.txt requirements-nodeps.txt ./
RUN python -m venv .venv \
    && .venv/bin/pip install -r requirements.txt -c constraints.txt \
    && .venv/bin/pip install --no-deps -r requirements-nodeps.txt

COPY . .
COPY --from=web /web/dist bot/web/dist

# The trained model is part of the image: nothing is downloaded or trained when a pod starts.
RUN bash scripts/train.sh \
    && useradd --system --uid 10001 --home-dir /app assistant \
    && mkdir -p var .rasa \
    && chown -R assistant var .rasa models

USER 10001
EXPOSE 5005 5055 8080
CMD [".venv/bin/python", "-m", "bot.gateway"]

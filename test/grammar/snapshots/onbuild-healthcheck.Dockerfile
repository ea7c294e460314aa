FROM python:3.12-slim
MAINTAINER Jane Doe <jane@example.com>
USER ${APP_UID:-1000}:app
USER root
STOPSIGNAL SIGTERM
stopsignal 9
STOPSIGNAL SIGRTMIN+3
EXPOSE 80 443/tcp 53/udp 8000-8010/tcp ${PORT}/udp 9000/SCTP
HEALTHCHECK NONE
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --start-interval=2s --retries=3 \
  CMD curl -fsS http://localhost:${PORT}/health || exit 1
HEALTHCHECK CMD ["python", "-m", "healthcheck"]
ONBUILD COPY . /app/src
ONBUILD RUN --mount=type=cache,target=/root/.cache pip install -r /app/src/requirements.txt
onbuild env APP_ENV=production
ONBUILD \
    ARG VERSION
ONBUILD HEALTHCHECK CMD true

# Every instruction once.
ARG BASE=debian:bookworm-slim
FROM $BASE AS base
MAINTAINER Jane Doe <jane@example.com>
LABEL org.opencontainers.image.title="demo app" version=1.0
ENV APP_HOME=/srv/app PATH=/srv/app/bin:$PATH
ARG VERSION
RUN apt-get update && apt-get install -y --no-install-recommends curl
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
WORKDIR $APP_HOME
COPY --chown=app:app src/ ./src/
ADD https://example.com/tool.tar.gz /opt/
EXPOSE 8080 9090/udp
VOLUME ["/data", "/logs"]
USER app:app
HEALTHCHECK --interval=30s CMD curl -f http://localhost:8080/ || exit 1
STOPSIGNAL SIGTERM
ONBUILD COPY . /srv/app
ENTRYPOINT ["/srv/app/bin/server"]
CMD ["--port", "8080"]

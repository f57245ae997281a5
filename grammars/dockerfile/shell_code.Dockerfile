FROM debian
RUN set -eux; \
    savedAptMark="$(apt-mark showmanual)"; \
    apt-get update; \
    apt-get install -y --no-install-recommends ca-certificates wget; \
    rm -rf /var/lib/apt/lists/*
RUN curl -fsSL https://example.com/install.sh | sh -s -- --version 1.2
RUN wget -qO- https://example.com/key.asc | gpg --dearmor > /usr/share/keyrings/k.gpg || true
RUN (cd /tmp && make) && echo ok || echo failed
RUN sh -c 'echo inner && id -u'
RUN bash -c "apt-get update && apt-get install -y \"$PKG\""
RUN DEBIAN_FRONTEND=noninteractive apt-get install -y tzdata 2>&1 > /dev/null
RUN if [ -f /etc/debian_version ]; then echo debian; else echo other; fi
RUN for f in a b; do \
      echo "$f"; \
    done
RUN echo $(uname -m) `date`

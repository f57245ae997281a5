FROM debian
RUN set -eux; \
    apt-get update; \
    # a comment inside the continuation is skipped
    apt-get install -y \

        curl \
  # indented comment
        git; \
    rm -rf /var/lib/apt/lists/*
RUN echo trailing-spaces-after-escape \    
    ok
RUN echo ends-with-escaped-escape\\
RUN echo "next line is its own instruction"
ENV A=1 \
    B=2
COPY a \
     b \
     /dest/
RUN echo continuation at end of file \

FROM --platform=$BUILDPLATFORM golang:1.22 AS build
FROM --platform=linux/amd64 alpine
COPY --from=build --chown=1000:1000 --chmod=0755 /out/app /usr/local/bin/app
COPY --link --parents --exclude=*.md --exclude=docs/ ./src/ /app/
COPY --link=false a /b
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/a.tar.gz /
ADD --keep-git-dir=true https://github.com/moby/buildkit.git#v0.10.1 /buildkit
ADD --chown=app --chmod=644 --link --exclude=*.tmp files/ /files/
HEALTHCHECK --interval=5m --timeout=3s --start-period=30s --start-interval=5s --retries=3 CMD curl -f http://localhost/
ENV --bad=flag A=1
CMD --help

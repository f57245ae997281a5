FROM alpine
ENV Q1="double \"quoted\" \$lit" Q2='single "inner"' Q3=mixed"quo"'tes'
ENV PATHS=C:\\path\ with\ spaces
ENV UNTERMINATED="never closed
USER ${APP_USER:-app}:${APP_GROUP}
USER 1000
WORKDIR /path with spaces/
WORKDIR "/quoted dir"
STOPSIGNAL 9
EXPOSE 80/tcp 443 ${PORT}
COPY "file with spaces.txt" /dest/
COPY --chown=${UID}:${GID} a b c /dest/
ADD http://example.com/x.tar.gz#frag /x/
MAINTAINER "Kept As Written" <m@x>

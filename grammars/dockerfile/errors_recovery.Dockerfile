FROM alpine
RUNN echo typo
ENTRYPIONT ["x"]
RUN apt-get update &&
    apt-get install -y curl
&& echo forgot the backslash
RUN
COPY
COPY only-source
ENV
EXPOSE
FROM
USER
WORKDIR
LABEL
ARG
STOPSIGNAL
VOLUME
MAINTAINER
CMD
ENTRYPOINT
SHELL
HEALTHCHECK
FOOBAR --flag value
RUN echo still parsed
USER ubuntu ubuntu

FROM alpine
RUN echo last line continues \
  # and only a comment follows
FROM alpine
HEALTHCHECK NONE
HEALTHCHECK none
HEALTHCHECK NONE extra
HEALTHCHECK CMD
HEALTHCHECK PING localhost
HEALTHCHECK --interval=10s --retries=2 \
    CMD wget -q --spider http://localhost:8080/health || exit 1
HEALTHCHECK CMD ["/bin/check", "--fast"]
HEALTHCHECK CMD [1]

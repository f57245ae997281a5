FROM alpine
RUN --mount=type=bind,source=.,target=/src,readonly,from=builder make -C /src
RUN --mount=type=cache,target=/var/cache/apk,id=apk,sharing=locked,mode=0755,uid=0,gid=0 apk add git
RUN --mount=type=tmpfs,target=/tmp,size=64m ls /tmp
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc,required=true npm ci
RUN --mount=type=secret,id=TOKEN,env=TOKEN ./fetch.sh
RUN --mount=type=ssh,id=default,required git clone git@github.com:org/repo.git
RUN --mount=target=/cache --mount=type=cache,target=/go/pkg/mod go build ./...
RUN --network=none --security=insecure make test
RUN --network host \
    --mount=type=cache,target=/root/.m2 \
    mvn package
RUN --Mount="type=cache,target=/x y" echo quoted flag value
RUN --future-flag=1 echo unknown flags are kept
RUN -- --not-a-flag
